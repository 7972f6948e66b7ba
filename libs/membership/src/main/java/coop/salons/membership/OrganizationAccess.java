package coop.salons.membership;

import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The wall between organisations, as in identity: a user who is not a member gets a 404 (the
 * organisation's existence is not theirs to know), a member whose role is too low a 403. Roles come
 * from identity's membership feed (table {@code organization_member}, which each service using this
 * library creates in its own migrations); a miss first catches up with the feed, so that an
 * organisation created a second ago is already known.
 */
@ApplicationScoped
public class OrganizationAccess {

  /** The roles, lowest first. */
  public static final List<String> ROLES = List.of("member", "admin", "owner");

  @Inject MembershipFollower follower;
  @Inject EntityManager em;
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "salons.membership.role-cache", defaultValue = "1s")
  Duration roleCache;

  /** Refuses unless the user is a member of the organisation with at least the given role. */
  public String require(String organization, String userId, String atLeast) {
    if (!Slugs.isValid(organization)) {
      throw notFound(organization);
    }
    long asked = System.nanoTime();
    String role = roleOf(organization, userId);
    if (role == null) {
      try {
        follower.catchUpSince(asked); // one read of the feed serves every request waiting on it
        role = roleOf(organization, userId);
      } catch (RuntimeException e) {
        Log.warnf("Could not catch up with identity's membership feed: %s", e.getMessage());
      }
    }
    if (role == null) {
      throw notFound(organization);
    }
    if (ROLES.indexOf(role) < ROLES.indexOf(atLeast)) {
      throw ProblemException.forbidden(
          "This needs the role " + atLeast + " in '" + organization + "'; yours is " + role + ".");
    }
    return role;
  }

  /** Whether identity has told of this organisation (it has at least one member). */
  public boolean known(String organization) {
    if (!Slugs.isValid(organization)) {
      return false;
    }
    long asked = System.nanoTime();
    if (memberCount(organization) > 0) {
      return true;
    }
    try {
      follower.catchUpSince(asked);
    } catch (RuntimeException e) {
      Log.warnf("Could not catch up with identity's membership feed: %s", e.getMessage());
    }
    return memberCount(organization) > 0;
  }

  /** How many members the organisation has, as the feed tells it so far. */
  @Transactional
  public long memberCount(String organization) {
    return ((Number)
            em.createNativeQuery(
                    "SELECT count(*) FROM organization_member WHERE organization_slug = ?1")
                .setParameter(1, organization)
                .getSingleResult())
        .longValue();
  }

  /** A role read a moment ago, while the follower had applied {@code changes} changes. */
  private record Remembered(String role, long changes, long until) {}

  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  /**
   * The user's role, or null. Every request asks it first. A role read less than {@code
   * salons.membership.role-cache} ago (1 s by default; 0 turns it off) is taken again as it was,
   * unless this process applied membership changes since: a burst of one script's requests costs
   * one read. Another replica applying a change makes it visible here within that time (and the
   * feed itself is read every few seconds). Only roles found are remembered.
   */
  String roleOf(String organization, String userId) {
    String key = organization + '\n' + userId;
    long now = System.nanoTime();
    long changes = follower.changes();
    Remembered r = remembered.get(key);
    if (r != null && r.changes() == changes && now - r.until() < 0) {
      return r.role();
    }
    String role = readRole(organization, userId);
    if (role != null && !roleCache.isZero()) {
      if (remembered.size() >= 10_000) {
        remembered.clear();
      }
      remembered.put(key, new Remembered(role, changes, now + roleCache.toNanos()));
    }
    return role;
  }

  /** A plain read on a pooled connection, outside any transaction (one statement). */
  private String readRole(String organization, String userId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT role FROM organization_member WHERE organization_slug = ? AND user_id = ?")) {
      ps.setString(1, organization);
      ps.setString(2, userId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading a role failed: " + e.getMessage(), e);
    }
  }

  private static ProblemException notFound(String organization) {
    return ProblemException.notFound("No organisation '" + organization + "' among yours.");
  }
}
