package coop.salons.identity.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An organisation (an association) hosted by the platform; never serialized to the API. */
@Entity
public class Organization extends PanacheEntityBase {

  @Id public UUID id;

  @Column(nullable = false, unique = true, length = 40)
  public String slug;

  @Column(nullable = false, length = 200)
  public String name;

  @Column(name = "keycloak_id", unique = true, length = 64)
  public String keycloakId;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  @Column(name = "deletion_scheduled_at")
  public OffsetDateTime deletionScheduledAt;

  @Version public long version;

  public static Organization bySlug(String slug) {
    return find("slug", slug).firstResult();
  }
}
