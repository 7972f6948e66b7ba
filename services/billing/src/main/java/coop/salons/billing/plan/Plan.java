package coop.salons.billing.plan;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** A plan the hoster offers: quotas and price rules; never serialized to the API as such. */
@Entity
public class Plan extends PanacheEntityBase {

  @Id
  @Column(length = 40)
  public String id;

  @Column(nullable = false, length = 100)
  public String name;

  @Column(nullable = false, length = 500)
  public String description = "";

  @Column(name = "max_instances", nullable = false)
  public int maxInstances;

  @Column(name = "max_members", nullable = false)
  public int maxMembers;

  @Column(name = "storage_gb", nullable = false)
  public int storageGb;

  @Column(name = "cpu_millicores", nullable = false)
  public int cpuMillicores;

  @Column(name = "memory_mib", nullable = false)
  public int memoryMib;

  @Column(name = "suggested_price_cents", nullable = false)
  public long suggestedPriceCents;

  @Column(name = "minimum_price_cents", nullable = false)
  public long minimumPriceCents;

  @Column(name = "solidarity_share_percent", nullable = false)
  public int solidaritySharePercent;

  /** Offered to organisations choosing a plan; a retired plan keeps its subscribers. */
  @Column(nullable = false)
  public boolean available = true;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  @Version public long version;

  /** The limit of one quota. */
  public long limit(Quota resource) {
    return switch (resource) {
      case INSTANCES -> maxInstances;
      case MEMBERS -> maxMembers;
      case STORAGE_GB -> storageGb;
      case CPU_MILLICORES -> cpuMillicores;
      case MEMORY_MIB -> memoryMib;
    };
  }
}
