package coop.salons.provisioning.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A backup of an instance: where its files are, how big, whether it is whole. */
@Entity
@Table(name = "instance_backup")
public class InstanceBackup extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "instance_id", nullable = false)
  public UUID instanceId;

  @Column(name = "organization_slug", nullable = false, length = 40)
  public String organizationSlug;

  /** {@code on-demand}, {@code scheduled} or {@code final}. */
  @Column(nullable = false, length = 16)
  public String kind;

  /** {@code running}, {@code done} or {@code failed}. */
  @Column(nullable = false, length = 16)
  public String state;

  /** The folder of its files, under the backups' directory. */
  @Column(length = 500)
  public String location;

  @Column(name = "size_bytes")
  public Long sizeBytes;

  @Column(length = 1000)
  public String error;

  @Column(name = "started_at", nullable = false)
  public OffsetDateTime startedAt;

  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;
}
