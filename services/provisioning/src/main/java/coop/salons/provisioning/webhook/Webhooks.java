package coop.salons.provisioning.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.provisioning.instance.Instance;
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

  public void stateChanged(Instance i) {
    stateChanged(i, Webhook.list("organizationSlug", i.organizationSlug));
  }

  /** The same for several instances, their organisations' webhooks read at once. */
  public void stateChanged(List<Instance> instances) {
    List<String> organizations =
        instances.stream().map(i -> i.organizationSlug).distinct().toList();
    Map<String, List<Webhook>> byOrganization =
        Webhook.<Webhook>list("organizationSlug in ?1", organizations).stream()
            .collect(java.util.stream.Collectors.groupingBy(w -> w.organizationSlug));
    for (Instance i : instances) {
      stateChanged(i, byOrganization.getOrDefault(i.organizationSlug, List.of()));
    }
  }

  private void stateChanged(Instance i, List<Webhook> subscribers) {
    if (subscribers.isEmpty()) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.now();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", UUID.randomUUID().toString());
    event.put("type", "instance.state-changed");
    event.put("occurredAt", now.toString());
    event.put("organization", i.organizationSlug);
    event.put("instance", i.slug);
    event.put("instanceId", i.id.toString());
    event.put("state", i.state);
    event.put("generation", i.generation);
    event.put("url", i.url);
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
      d.nextAttemptAt = now;
      d.createdAt = now;
      d.persist();
    }
  }
}
