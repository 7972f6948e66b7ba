package coop.salons.identity.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A user's membership of an organisation, with their role; never serialized to the API. */
@Entity
public class Membership extends PanacheEntityBase {

  /** The key: an organisation and a Keycloak user. */
  @Embeddable
  public record Key(
      @Column(name = "organization_id") UUID organizationId,
      @Column(name = "user_id", length = 64) String userId)
      implements Serializable {}

  @EmbeddedId public Key id;

  @Column(nullable = false)
  public String username;

  @Column(length = 254)
  public String email;

  @Column(nullable = false, length = 10)
  public String role;

  @Column(name = "joined_at", nullable = false)
  public OffsetDateTime joinedAt;

  /** An automation client's service account (docs/adr/0029): no person, not listed nor counted. */
  @Column(nullable = false)
  public boolean automation;

  public Role role() {
    return Role.parse(role).orElseThrow();
  }

  public static Membership find(UUID organizationId, String userId) {
    return findById(new Key(organizationId, userId));
  }

  public static long owners(UUID organizationId) {
    return count("id.organizationId = ?1 and role = 'owner'", organizationId);
  }
}
