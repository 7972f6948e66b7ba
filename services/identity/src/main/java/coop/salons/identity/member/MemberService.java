package coop.salons.identity.member;

import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import coop.salons.identity.access.OrganizationAccess;
import coop.salons.identity.keycloak.KeycloakDirectory;
import coop.salons.identity.member.MemberDtos.MemberView;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import coop.salons.identity.model.Role;
import coop.salons.identity.quota.Quotas;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Members of an organisation and their roles. Keycloak's organisation membership and the rows here
 * change together; a removed member's sessions end at once. There is always an owner left.
 */
@ApplicationScoped
public class MemberService {

  @Inject OrganizationAccess access;
  @Inject KeycloakDirectory keycloak;
  @Inject IdentityConfig config;
  @Inject Quotas quota;

  /** What adding someone did: added at once (a member), or invited by email. */
  public record Added(MemberView member, String invitedEmail) {}

  @Transactional
  public Page<MemberView> list(String slug, String userId, Integer limit, String cursor) {
    OrganizationAccess.Access a = access.require(slug, userId, Role.MEMBER);
    int size = Cursors.limit(limit, 50, config.maxPageSize());
    String after = Cursors.decode(cursor);
    String afterName = "";
    String afterId = "";
    if (after != null) {
      int tab = after.indexOf('\t');
      if (tab < 0) {
        throw ProblemException.invalid("cursor", "is not a cursor this API gave");
      }
      afterName = after.substring(0, tab);
      afterId = after.substring(tab + 1);
    }
    List<Membership> rows =
        Membership.<Membership>find(
                "id.organizationId = ?1 and automation = false"
                    + " and (username > ?2 or (username = ?2 and id.userId > ?3))"
                    + " order by username, id.userId",
                a.organization().id,
                afterName,
                afterId)
            .range(0, size)
            .list();
    List<MemberView> items = rows.stream().limit(size).map(MemberService::view).toList();
    String next = null;
    if (rows.size() > size) {
      MemberView last = items.get(items.size() - 1);
      next = Cursors.encode(last.username() + "\t" + last.userId());
    }
    return new Page<>(items, next);
  }

  public Added add(String slug, String userId, String email, Role role) {
    Organization org =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  OrganizationAccess.Access a = access.require(slug, userId, Role.ADMIN);
                  requireMayGrant(a, role);
                  requireActive(a.organization());
                  return a.organization();
                });
    if (org.keycloakId == null) {
      throw new ProblemException(
          409,
          "not-ready",
          "Not ready",
          "'" + slug + "' is still being set up; retry in a minute.",
          List.of());
    }
    Optional<UserRepresentation> user = keycloak.userByEmail(email);
    if (user.isEmpty() || !Boolean.TRUE.equals(user.get().isEmailVerified())) {
      // Only an account whose email Keycloak verified joins at once. Anyone else, an account
      // registered with that address but never verified included, gets an invitation that only
      // the mailbox's owner can accept: registering first with someone's address lets no one in.
      if (user.isPresent() && alreadyMember(org, user.get().getId())) {
        throw ProblemException.conflict(email + " is already a member of '" + slug + "'.");
      }
      // Holds a slot until accepted (the member's own slot replaces it) or expired; inviting the
      // same address again holds the same slot and sends the invitation again.
      quota.claimInvitation(slug, email);
      try {
        keycloak.invite(org.keycloakId, email);
      } catch (RuntimeException e) {
        quota.releaseInvitationQuietly(slug, email);
        throw e;
      }
      return new Added(null, email);
    }
    UserRepresentation u = user.get();
    if (alreadyMember(org, u.getId())) {
      throw ProblemException.conflict(email + " is already a member of '" + slug + "'.");
    }
    quota.claimMember(slug, u.getId()); // refuses when the plan has no room left
    MemberView view;
    try {
      view =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    if (Membership.find(org.id, u.getId()) != null) {
                      throw ProblemException.conflict(
                          email + " is already a member of '" + slug + "'.");
                    }
                    Membership m = new Membership();
                    m.id = new Membership.Key(org.id, u.getId());
                    m.username = u.getUsername();
                    m.email = u.getEmail();
                    m.role = role.id();
                    m.joinedAt = OffsetDateTime.now();
                    m.persist();
                    MembershipEvent.record(slug, u.getId(), "added", role);
                    return view(m);
                  });
    } catch (ProblemException conflict) {
      throw conflict; // added meanwhile by someone else: the slot is theirs now
    } catch (RuntimeException e) {
      quota.releaseMemberQuietly(slug, u.getId());
      throw e;
    }
    try {
      keycloak.addMember(org.keycloakId, u.getId());
    } catch (RuntimeException e) {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                Membership.deleteById(new Membership.Key(org.id, u.getId()));
                MembershipEvent.record(slug, u.getId(), "removed", null);
              });
      quota.releaseMemberQuietly(slug, u.getId());
      throw e;
    }
    return new Added(view, null);
  }

  @Transactional
  public MemberView get(String slug, String userId, String memberId) {
    OrganizationAccess.Access a = access.require(slug, userId, Role.MEMBER);
    Membership m = Membership.find(a.organization().id, memberId);
    if (m == null) {
      throw ProblemException.notFound("No member " + memberId + " in '" + slug + "'.");
    }
    return view(m);
  }

  @Transactional
  public MemberView changeRole(String slug, String userId, String memberId, Role role) {
    OrganizationAccess.Access a = access.require(slug, userId, Role.ADMIN);
    Membership m = Membership.find(a.organization().id, memberId);
    if (m == null) {
      throw ProblemException.notFound("No member " + memberId + " in '" + slug + "'.");
    }
    if (m.role() == role) {
      return view(m);
    }
    requireMayGrant(a, role);
    requireMayGrant(a, m.role());
    if (m.role() == Role.OWNER && Membership.owners(a.organization().id) <= 1) {
      throw lastOwner(slug);
    }
    m.role = role.id();
    MembershipEvent.record(slug, memberId, "role_changed", role);
    return view(m);
  }

  public void remove(String slug, String userId, String memberId) {
    Organization org =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  boolean self = userId.equals(memberId);
                  OrganizationAccess.Access a =
                      access.require(slug, userId, self ? Role.MEMBER : Role.ADMIN);
                  Membership m = Membership.find(a.organization().id, memberId);
                  if (m == null) {
                    throw ProblemException.notFound(
                        "No member " + memberId + " in '" + slug + "'.");
                  }
                  if (!self) {
                    requireMayGrant(a, m.role());
                  }
                  if (m.role() == Role.OWNER && Membership.owners(a.organization().id) <= 1) {
                    throw lastOwner(slug);
                  }
                  m.delete();
                  MembershipEvent.record(slug, memberId, "removed", null);
                  return a.organization();
                });
    if (org.keycloakId != null) {
      keycloak.removeMember(org.keycloakId, memberId);
    }
    keycloak.endSessions(memberId);
    quota.releaseMemberQuietly(slug, memberId);
  }

  private static boolean alreadyMember(Organization org, String userId) {
    return QuarkusTransaction.requiringNew().call(() -> Membership.find(org.id, userId) != null);
  }

  /** Only an owner may make or unmake owners. */
  private static void requireMayGrant(OrganizationAccess.Access a, Role role) {
    if (role == Role.OWNER && a.role() != Role.OWNER) {
      throw ProblemException.forbidden("Only an owner can make or unmake owners.");
    }
  }

  private static void requireActive(Organization o) {
    if (o.deletionScheduledAt != null) {
      throw ProblemException.conflict(
          "'" + o.slug + "' is scheduled for deletion; restore it first.");
    }
  }

  private static ProblemException lastOwner(String slug) {
    return new ProblemException(
        409,
        "last-owner",
        "Last owner",
        "'" + slug + "' must keep at least one owner: make someone else owner first.",
        List.of());
  }

  static MemberView view(Membership m) {
    return new MemberView(m.id.userId(), m.username, m.email, m.role, m.joinedAt);
  }
}
