package coop.salons.billing.subscription;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** An organisation's plan and the price it chose within the plan's rules. */
@Entity
public class Subscription extends PanacheEntityBase {

  @Id
  @Column(name = "organization_slug", length = 40)
  public String organizationSlug;

  @Column(name = "plan_id", nullable = false, length = 40)
  public String planId;

  @Column(name = "price_cents", nullable = false)
  public long priceCents;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  @Version public long version;
}
