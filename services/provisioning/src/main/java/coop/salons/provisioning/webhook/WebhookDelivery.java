package coop.salons.provisioning.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A delivery owed to a subscriber (an outbox row, written with the change it reports). */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "webhook_id", nullable = false)
  public UUID webhookId;

  @Column(nullable = false)
  public String payload;

  @Column(nullable = false)
  public int attempts;

  @Column(name = "next_attempt_at", nullable = false)
  public OffsetDateTime nextAttemptAt;

  @Column(name = "delivered_at")
  public OffsetDateTime deliveredAt;

  @Column(name = "last_error", length = 500)
  public String lastError;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  /** The event's type ({@code instance.state-changed}), for the delivery log. */
  @Column(name = "event_type", length = 100)
  public String eventType;

  /** The HTTP status of the last attempt (none: no answer). */
  @Column(name = "last_status")
  public Integer lastStatus;

  @Column(name = "last_attempt_at")
  public OffsetDateTime lastAttemptAt;
}
