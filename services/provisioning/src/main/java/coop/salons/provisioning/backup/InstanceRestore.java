package coop.salons.provisioning.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A restore of an instance from one of its backups, and how far it went. */
@Entity
@Table(name = "instance_restore")
public class InstanceRestore extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "backup_id", nullable = false)
  public UUID backupId;

  @Column(name = "instance_id", nullable = false)
  public UUID instanceId;

  @Column(name = "organization_slug", nullable = false, length = 40)
  public String organizationSlug;

  /**
   * {@code checking}, {@code stopping}, {@code database}, {@code media}, {@code secrets}, {@code
   * starting}, {@code done}.
   */
  @Column(nullable = false, length = 32)
  public String step;

  @Column(nullable = false, length = 16)
  public String state;

  @Column(length = 1000)
  public String error;

  @Column(name = "started_at", nullable = false)
  public OffsetDateTime startedAt;

  @Column(name = "finished_at")
  public OffsetDateTime finishedAt;
}
