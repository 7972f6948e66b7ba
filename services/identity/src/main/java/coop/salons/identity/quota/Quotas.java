package coop.salons.identity.quota;

import coop.salons.billingclient.QuotaClaims;
import coop.salons.common.api.ProblemException;
import coop.salons.common.db.SingleReplica;
import coop.salons.identity.IdentityConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What identity asks billing before it acts (docs/adr/0012), unless {@code salons.identity.quotas}
 * is {@code off}.
 *
 * <p>A member holds one slot of the organisation's {@code members} quota in billing, under the key
 * {@code member-<user id>} (docs/adr/0012). Adding someone claims it first (billing's refusal is
 * passed on); an invitation only checks that there is room, and the slot is claimed when the
 * invitation is accepted; removing a member gives the slot back. An organisation is deleted only
 * when its instances hold none of its {@code instances} quota (provisioning releases an instance's
 * claim when it purges it).
 */
@ApplicationScoped
public class Quotas {

  static final String MEMBERS = "members";
  static final String INSTANCES = "instances";
  static final String MEMBER_PREFIX = "member-";

  /** A pending invitation holds a slot under this prefix and a digest of the invited address. */
  static final String INVITATION_PREFIX = "invitation-";

  /** An invitation's claim younger than this may still be on its way to Keycloak: left alone. */
  static final java.time.Duration INVITATION_SETTLED = java.time.Duration.ofSeconds(30);

  @Inject SingleReplica singleReplica;
  @Inject IdentityConfig config;
  @Inject QuotaClaims claims;
  @Inject EntityManager em;
  @Inject coop.salons.identity.keycloak.KeycloakDirectory keycloak;

  boolean enabled() {
    return !"off".equals(config.quotas());
  }

  public static String key(String userId) {
    return MEMBER_PREFIX + userId;
  }

  /** Holds a slot for the user, or refuses. */
  public void claimMember(String org, String userId) {
    if (enabled()) {
      claims.claim(org, MEMBERS, key(userId), 1, false);
    }
  }

  /**
   * Holds a slot for a pending invitation, or refuses when the plan has no room: an invitation
   * counts against the members quota until it is accepted (the member's own slot replaces it) or
   * its link expires (the reconciliation lets it go). Inviting the same address again holds nothing
   * more.
   */
  public void claimInvitation(String org, String email) {
    if (enabled()) {
      claims.claim(org, MEMBERS, invitationKey(email), 1, false);
    }
  }

  /** Lets an invitation's slot go (accepted, or its mail not sent); never fails the caller. */
  public void releaseInvitationQuietly(String org, String email) {
    if (enabled() && email != null) {
      claims.releaseQuietly(org, MEMBERS, invitationKey(email));
    }
  }

  /** The claim key of an invitation: the address's digest, never the address itself. */
  static String invitationKey(String email) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  email
                      .strip()
                      .toLowerCase(java.util.Locale.ROOT)
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return INVITATION_PREFIX + java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Holds a slot for someone who is a member already (an accepted invitation, an owner); answers
   * whether it is held.
   */
  public boolean claimMemberQuietly(String org, String userId) {
    try {
      claimMember(org, userId);
      return enabled();
    } catch (RuntimeException e) {
      Log.warnf("Could not claim a members slot of %s for %s: %s", org, userId, e.getMessage());
      return false;
    }
  }

  /** Lets the slot go; never fails the caller. */
  public void releaseMemberQuietly(String org, String userId) {
    if (enabled()) {
      claims.releaseQuietly(org, MEMBERS, key(userId));
    }
  }

  /** Refuses (409) while any instance of the organisation still exists, purged or not. */
  public void requireNoInstances(String org) {
    if (!enabled()) {
      return;
    }
    long held = claims.held(org, INSTANCES);
    if (held > 0) {
      throw new ProblemException(
          409,
          "organization-has-instances",
          "The organisation still has chat instances",
          "Delete its "
              + held
              + (held == 1 ? " instance" : " instances")
              + " first; an instance counts until its own grace period is over and it is purged.",
          List.of(),
          Map.of("instances", held));
    }
  }

  /** What a reconciliation did. */
  public record Reconciled(int organizations, int released, int claimed) {}

  @Scheduled(
      every = "${salons.identity.quota-reconcile-every:10m}",
      delayed = "2m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    try {
      singleReplica.run("identity members claims reconcile", () -> reconcile(OffsetDateTime.now()));
    } catch (RuntimeException e) {
      Log.warnf("Could not reconcile members' claims with billing: %s", e.getMessage());
    }
  }

  /**
   * Brings billing's members claims in step with membership, organisation by organisation: a
   * settled claim of someone who is not a member (a failure between claim and addition) is
   * released; a member without a claim (billing away when they joined) is claimed for; an
   * invitation Keycloak no longer holds as pending (expired, accepted, withdrawn) lets its slot go.
   */
  public Reconciled reconcile(OffsetDateTime now) {
    if (!enabled()) {
      return new Reconciled(0, 0, 0);
    }
    Map<String, Set<String>> members = new TreeMap<>();
    Map<String, String> keycloakIds = new HashMap<>();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  em.createNativeQuery(
                          "SELECT o.slug, m.user_id, o.keycloak_id FROM organization o"
                              + " LEFT JOIN membership m"
                              + " ON m.organization_id = o.id AND NOT m.automation"
                              + " WHERE o.keycloak_id IS NOT NULL"
                              + " AND o.deletion_scheduled_at IS NULL")
                      .getResultList();
              for (Object[] r : rows) {
                Set<String> users = members.computeIfAbsent((String) r[0], k -> new HashSet<>());
                keycloakIds.put((String) r[0], (String) r[2]);
                if (r[1] != null) {
                  users.add((String) r[1]);
                }
              }
            });
    int released = 0;
    int claimed = 0;
    for (Map.Entry<String, Set<String>> org : members.entrySet()) {
      var held = claims.byKey(org.getKey(), MEMBERS, MEMBER_PREFIX).orElse(null);
      if (held == null) {
        continue;
      }
      for (var c : held.entrySet()) {
        if (!org.getValue().contains(c.getKey()) && QuotaClaims.settled(c.getValue(), now)) {
          claims.releaseQuietly(org.getKey(), MEMBERS, MEMBER_PREFIX + c.getKey());
          released++;
        }
      }
      for (String userId : org.getValue()) {
        if (!held.containsKey(userId) && claimMemberQuietly(org.getKey(), userId)) {
          claimed++;
        }
      }
      // Invitations Keycloak no longer holds as pending (expired, accepted, withdrawn).
      var invitations = claims.byKey(org.getKey(), MEMBERS, INVITATION_PREFIX).orElse(Map.of());
      if (!invitations.isEmpty()) {
        Set<String> pending = new HashSet<>();
        keycloak
            .pendingInvitations(keycloakIds.get(org.getKey()))
            .forEach(email -> pending.add(invitationKey(email)));
        for (var c : invitations.entrySet()) {
          String key = INVITATION_PREFIX + c.getKey();
          if (!pending.contains(key)
              && c.getValue().createdAt().isBefore(now.minus(INVITATION_SETTLED))) {
            claims.releaseQuietly(org.getKey(), MEMBERS, key);
            released++;
          }
        }
      }
    }
    if (released + claimed > 0) {
      Log.infof("Members claims reconciled: %d released, %d claimed", released, claimed);
    }
    return new Reconciled(members.size(), released, claimed);
  }
}
