package coop.salons.identity.member;

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
    MembershipEvent e = new MembershipEvent();
    e.organizationSlug = slug;
    e.userId = userId;
    e.kind = kind;
    e.role = role == null ? null : role.id();
    e.occurredAt = OffsetDateTime.now();
    e.persist();
  }
}
