package coop.salons.provisioning.instance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A chat instance's desired state and where its lifecycle stands; never serialized to the API. */
@Entity
public class Instance extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "organization_slug", nullable = false, length = 40)
  public String organizationSlug;

  @Column(nullable = false, length = 40)
  public String slug;

  @Column(nullable = false, length = 20)
  public String flavour;

  @Column(nullable = false, length = 30)
  public String state;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  @Version public long version;
}
