package coop.salons.provisioning.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An instance brought in from an exit bundle, and how far it went (docs/adr/0035). */
@Entity
@Table(name = "instance_import")
public class InstanceImport extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "organization_slug", nullable = false)
  public String organizationSlug;

  @Column(nullable = false)
  public String slug;

  /** {@code fetching → checking → creating → secrets → database → media → mapping → starting}. */
  @Column(nullable = false)
  public String step;

  @Column(nullable = false)
  public String state;

  @Column(name = "server_name")
  public String serverName;

  @Column(name = "instance_id")
  public UUID instanceId;

  public String error;

  @Column(name = "started_at", nullable = false)
  public OffsetDateTime startedAt;

  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;
}
