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
 * Records the deliveries owed for an instance's state change, in the transaction that makes the
 * change: a change is never reported without happening, nor lost once it happened.
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
    OffsetDateTime now = OffsetDateTime.now();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", UUID.randomUUID().toString());
    event.put("type", "instance.state-changed");
    event.put("occurredAt", now.toString());
    event.put("organization", i.organization());
    event.put("instance", i.instance());
    event.put("instanceId", i.instanceId().toString());
    event.put("state", i.state());
    event.put("generation", i.generation());
    event.put("url", i.url());
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
      d.eventType = "instance.state-changed";
      d.nextAttemptAt = now;
      d.createdAt = now;
      d.persist();
    }
  }
}
