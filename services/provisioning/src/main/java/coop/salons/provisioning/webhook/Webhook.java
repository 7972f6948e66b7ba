package coop.salons.provisioning.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A subscriber to an organisation's instance state changes. */
@Entity
public class Webhook extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "organization_slug", nullable = false, length = 40)
  public String organizationSlug;

  @Column(nullable = false, length = 2000)
  public String url;

  /** The HMAC key deliveries are signed with; shown once, at creation. */
  @Column(nullable = false, length = 100)
  public String secret;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;
}
