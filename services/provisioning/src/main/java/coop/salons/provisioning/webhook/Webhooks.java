package coop.salons.provisioning.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records the deliveries owed for an instance's state change or a membership change, in the
 * transaction that makes the change: a change is never reported without happening, nor lost once it
 * happened.
 */
@ApplicationScoped
public class Webhooks {

  @Inject ObjectMapper json;

  /** An instance's new state, as its organisation's webhooks are told it. */
  public record StateChange(
      String organization,
      String instance,
      UUID instanceId,
      String state,
      long generation,
      String url) {}

  public void stateChanged(StateChange i) {
    stateChanged(i, Webhook.list("organizationSlug = ?1 order by createdAt", i.organization()));
  }

  /** The same for several instances, their organisations' webhooks read at once. */
  public void stateChanged(List<StateChange> instances) {
    List<String> organizations =
        instances.stream().map(StateChange::organization).distinct().toList();
    Map<String, List<Webhook>> byOrganization =
        Webhook.<Webhook>list("organizationSlug in ?1 order by createdAt", organizations).stream()
            .collect(java.util.stream.Collectors.groupingBy(w -> w.organizationSlug));
    for (StateChange i : instances) {
      stateChanged(i, byOrganization.getOrDefault(i.organization(), List.of()));
    }
  }

  private void stateChanged(StateChange i, List<Webhook> subscribers) {
    if (subscribers.isEmpty()) {
      return;
    }
    Map<String, Object> event = event("instance.state-changed", i.organization());
    event.put("instance", i.instance());
    event.put("instanceId", i.instanceId().toString());
    event.put("state", i.state());
    event.put("generation", i.generation());
    event.put("url", i.url());
    owe(event, subscribers);
  }

  /**
   * A member added, removed or given another role (identity's feed, as provisioning applies it):
   * {@code member.added}, {@code member.removed}, {@code member.role-changed}, in the transaction
   * that applies the change, so each is told once.
   */
  void membershipChanged(
      @jakarta.enterprise.event.Observes coop.salons.membership.MembershipChanged c) {
    List<Webhook> subscribers =
        Webhook.list("organizationSlug = ?1 order by createdAt", c.organization());
    if (subscribers.isEmpty()) {
      return;
    }
    Map<String, Object> event = event("member." + c.kind().replace('_', '-'), c.organization());
    event.put("userId", c.userId());
    event.put("role", c.role());
    event.put("changedAt", c.occurredAt() == null ? null : c.occurredAt().toString());
    owe(event, subscribers);
  }

  /**
   * A quota of the organisation's plan past its warning threshold ({@code quota.warning}) or a
   * request it refused ({@code quota.exceeded}), as billing recorded it.
   */
  void quota(QuotaEvents.Event e) {
    List<Webhook> subscribers =
        Webhook.list("organizationSlug = ?1 order by createdAt", e.organization());
    if (subscribers.isEmpty()) {
      return;
    }
    Map<String, Object> event = event("quota." + e.kind(), e.organization());
    event.put("quota", e.quota());
    event.put("used", e.used());
    event.put("limit", e.limit());
    if (e.requested() != null) {
      event.put("requested", e.requested());
    }
    event.put("recordedAt", e.occurredAt() == null ? null : e.occurredAt().toString());
    owe(event, subscribers);
  }

  private static Map<String, Object> event(String type, String organization) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", UUID.randomUUID().toString());
    event.put("type", type);
    event.put("occurredAt", OffsetDateTime.now().toString());
    event.put("organization", organization);
    return event;
  }

  private void owe(Map<String, Object> event, List<Webhook> subscribers) {
    OffsetDateTime now = OffsetDateTime.now();
    String payload;
    try {
      payload = json.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    for (Webhook w : subscribers) {
      WebhookDelivery d = new WebhookDelivery();
      d.webhookId = w.id;
      d.payload = payload;
      d.eventType = (String) event.get("type");
      d.nextAttemptAt = now;
      d.createdAt = now;
      d.persist();
    }
  }
}
