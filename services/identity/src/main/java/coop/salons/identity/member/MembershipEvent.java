package coop.salons.identity.member;

import coop.salons.identity.model.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A membership change in the outbox the other services read. */
@Entity
@Table(name = "membership_event")
public class MembershipEvent extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "organization_slug", nullable = false, length = 40)
  public String organizationSlug;

  @Column(name = "user_id", nullable = false, length = 64)
  public String userId;

  @Column(nullable = false, length = 20)
  public String kind;

  @Column(length = 10)
  public String role;

  @Column(name = "occurred_at", nullable = false)
  public OffsetDateTime occurredAt;

  public static void record(String slug, String userId, String kind, Role role) {
    // Readers follow the feed by id. A sequence hands out ids when rows are inserted, not when
    // they commit: two transactions could commit out of order and a reader that already passed
    // the later id would never see the earlier one. Writers of the feed take turns (the lock is
    // held until commit), so ids are visible in order.
    getEntityManager()
        .createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('membership_event'))")
        .getSingleResult();
    MembershipEvent e = new MembershipEvent();
    e.organizationSlug = slug;
    e.userId = userId;
    e.kind = kind;
    e.role = role == null ? null : role.id();
    e.occurredAt = OffsetDateTime.now();
    e.persist();
  }
}
