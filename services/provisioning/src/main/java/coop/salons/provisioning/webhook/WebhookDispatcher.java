package coop.salons.provisioning.webhook;

import coop.salons.common.concurrent.DaemonThreads;
import coop.salons.common.net.Addresses;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hibernate.jpa.SpecHints;

/**
 * Sends the deliveries that are due, as the Standard Webhooks specification says: headers {@code
 * webhook-id} (the same for every attempt of a delivery), {@code webhook-timestamp} and {@code
 * webhook-signature} ({@code v1,<base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>">}, keyed with
 * the base64 part of the {@code whsec_} secret); {@code Salons-Signature} as before, for older
 * receivers. Deliveries are claimed in a short transaction (rows locked with {@code SKIP LOCKED},
 * so replicas never share one) and sent outside any: each endpoint on a thread of its own, its
 * deliveries in order; an endpoint that fails backs off alone (its other due deliveries wait with
 * it), so one slow or broken receiver delays nobody else. A failure is retried with a doubling
 * delay, up to {@value #MAX_ATTEMPTS} attempts over about a day.
 */
@ApplicationScoped
public class WebhookDispatcher {

  static final int MAX_ATTEMPTS = 12;

  /** How long a claimed delivery is someone's before another round may claim it again. */
  static final Duration IN_FLIGHT = Duration.ofMinutes(5);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService senders =
      Executors.newFixedThreadPool(8, DaemonThreads.named("webhook-sender"));

  /** Endpoints being sent to now: not claimed again until their round is over. */
  private final Set<UUID> busy = ConcurrentHashMap.newKeySet();

  @jakarta.inject.Inject coop.salons.provisioning.ProvisioningConfig config;

  /** One delivery, as claimed: what sending it needs. */
  record Claimed(long id, UUID webhookId, String url, String secret, String payload, int attempt) {}

  @PreDestroy
  void stop() {
    senders.shutdownNow();
  }

  @Scheduled(
      every = "${salons.provisioning.webhook-poll:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void dispatch() {
    Map<UUID, List<Claimed>> byEndpoint = new LinkedHashMap<>();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                claim()
                    .forEach(
                        c ->
                            byEndpoint
                                .computeIfAbsent(c.webhookId(), k -> new ArrayList<>())
                                .add(c)));
    byEndpoint.forEach(
        (endpoint, deliveries) -> {
          busy.add(endpoint);
          senders.execute(
              () -> {
                try {
                  sendInOrder(deliveries);
                } finally {
                  busy.remove(endpoint);
                }
              });
        });
  }

  /** Due deliveries to endpoints not being sent to, marked in flight. */
  private List<Claimed> claim() {
    OffsetDateTime now = OffsetDateTime.now();
    String due = "deliveredAt is null and attempts < ?1 and nextAttemptAt <= ?2";
    List<UUID> sending = List.copyOf(busy);
    var query =
        sending.isEmpty()
            ? WebhookDelivery.<WebhookDelivery>find(due + " order by id", MAX_ATTEMPTS, now)
            : WebhookDelivery.<WebhookDelivery>find(
                due + " and webhookId not in ?3 order by id", MAX_ATTEMPTS, now, sending);
    List<WebhookDelivery> found =
        query
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .withHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2)
            .range(0, 99)
            .list();
    List<Claimed> claimed = new ArrayList<>();
    for (WebhookDelivery d : found) {
      Webhook w = Webhook.findById(d.webhookId);
      if (w == null) {
        d.attempts = MAX_ATTEMPTS; // its webhook is gone
        d.lastError = "webhook deleted";
        continue;
      }
      d.nextAttemptAt = now.plus(IN_FLIGHT);
      claimed.add(new Claimed(d.id, w.id, w.url, w.secret, d.payload, d.attempts + 1));
    }
    return claimed;
  }

  private void sendInOrder(List<Claimed> deliveries) {
    for (int n = 0; n < deliveries.size(); n++) {
      Claimed c = deliveries.get(n);
      Integer status = null;
      String error = null;
      try {
        status = send(c);
        if (status < 200 || status >= 300) {
          error = "HTTP " + status;
        }
      } catch (RefusedAddress e) {
        error = e.getMessage();
      } catch (Exception e) {
        error = e.getClass().getSimpleName();
      }
      record(c, status, error);
      if (error != null) {
        // The endpoint backs off: its other deliveries of this round wait with it.
        List<Long> rest =
            deliveries.subList(n + 1, deliveries.size()).stream().map(Claimed::id).toList();
        if (!rest.isEmpty()) {
          OffsetDateTime at = OffsetDateTime.now().plusSeconds(delay(c.attempt()));
          QuarkusTransaction.requiringNew()
              .run(() -> WebhookDelivery.update("nextAttemptAt = ?1 where id in ?2", at, rest));
        }
        Log.infof(
            "Webhook %s: delivery %d failed (%s), attempt %d",
            c.webhookId(), c.id(), error, c.attempt());
        return;
      }
    }
  }

  private void record(Claimed c, Integer status, String error) {
    OffsetDateTime now = OffsetDateTime.now();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              WebhookDelivery d = WebhookDelivery.findById(c.id());
              if (d == null) {
                return;
              }
              d.attempts = c.attempt();
              d.lastAttemptAt = now;
              d.lastStatus = status;
              d.lastError = error;
              if (error == null) {
                d.deliveredAt = now;
              } else {
                d.nextAttemptAt = now.plusSeconds(delay(c.attempt()));
              }
            });
  }

  /** A receiver whose name leads to the platform's own machines or a private network. */
  static final class RefusedAddress extends Exception {
    RefusedAddress(String why) {
      super("refused: " + why, null, false, false);
    }
  }

  /** Seconds before the next attempt: doubling, at most six hours. */
  static long delay(int attempts) {
    return Math.min(2L << Math.min(attempts, 16), 6 * 3600);
  }

  int send(Claimed c) throws Exception {
    URI target = URI.create(c.url());
    if (!config.allowLocalWebhooks()) {
      // Checked when sent, on what the name resolves to now: a receiver's DNS cannot lead the
      // platform to its own machines.
      java.util.Optional<String> refused = Addresses.refused(target.getHost());
      if (refused.isPresent()) {
        throw new RefusedAddress(refused.get());
      }
    }
    long t = System.currentTimeMillis() / 1000;
    String id = "msg_" + c.id();
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(config.webhookTimeout())
            .header("Content-Type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(t))
            .header("webhook-signature", "v1," + signature(c.secret(), id, t, c.payload()))
            .header("Salons-Signature", "t=" + t + ",v1=" + sign(c.secret(), t + "." + c.payload()))
            .POST(HttpRequest.BodyPublishers.ofString(c.payload()))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * The Standard Webhooks signature: base64 of HMAC-SHA256 over {@code <id>.<timestamp>.<body>},
   * keyed with the secret's bytes after {@code whsec_} (base64), or, for a secret made before that
   * format, its UTF-8 bytes.
   */
  public static String signature(String secret, String id, long timestamp, String body)
      throws GeneralSecurityException {
    byte[] key =
        secret.startsWith(SECRET_PREFIX)
            ? Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()))
            : secret.getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return Base64.getEncoder()
        .encodeToString(
            mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  /** The prefix of a Standard Webhooks secret. */
  public static final String SECRET_PREFIX = "whsec_";

  /** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** HMAC-SHA256 of a message, in hex (the older {@code Salons-Signature} header). */
  public static String sign(String secret, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }
}
