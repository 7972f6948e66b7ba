package coop.salons.provisioning.instance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One step the supervisor took on an instance: what, when, and how it ended. */
@Entity
@Table(name = "instance_step")
public class InstanceStep extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "instance_id", nullable = false)
  public UUID instanceId;

  @Column(nullable = false)
  public long generation;

  @Column(nullable = false, length = 40)
  public String name;

  /** {@code done} (something changed), {@code unchanged}, or {@code failed}. */
  @Column(nullable = false, length = 10)
  public String outcome;

  @Column(length = 1000)
  public String detail;

  @Column(name = "started_at", nullable = false)
  public OffsetDateTime startedAt;

  @Column(name = "finished_at", nullable = false)
  public OffsetDateTime finishedAt;
}
