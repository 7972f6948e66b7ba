package coop.salons.billing.plan;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** A plan the hoster offers: quotas and price rules; never serialized to the API. */
@Entity
public class Plan extends PanacheEntityBase {

  @Id
  @Column(length = 40)
  public String id;

  @Column(nullable = false, length = 100)
  public String name;

  @Column(name = "max_instances", nullable = false)
  public int maxInstances;

  @Column(name = "max_members", nullable = false)
  public int maxMembers;

  @Column(name = "storage_gb", nullable = false)
  public int storageGb;

  @Column(name = "suggested_price_cents", nullable = false)
  public long suggestedPriceCents;

  @Column(name = "minimum_price_cents", nullable = false)
  public long minimumPriceCents;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Version public long version;
}
