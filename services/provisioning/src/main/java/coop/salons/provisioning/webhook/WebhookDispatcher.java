package coop.salons.provisioning.webhook;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hibernate.jpa.SpecHints;

/**
 * Sends the deliveries that are due, signed with HMAC-SHA256 over {@code <timestamp>.<body>}
 * (header {@code Salons-Signature: t=<unix seconds>,v1=<hex>}); a failure is retried with a
 * doubling delay, up to {@value #MAX_ATTEMPTS} attempts over about a day. Rows are claimed with
 * {@code SKIP LOCKED}, so several replicas never send one delivery twice at the same time.
 */
@ApplicationScoped
public class WebhookDispatcher {

  static final int MAX_ATTEMPTS = 12;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Scheduled(
      every = "${salons.provisioning.webhook-poll:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  @Transactional
  void dispatch() {
    List<WebhookDelivery> due =
        WebhookDelivery.<WebhookDelivery>find(
                "deliveredAt is null and attempts < ?1 and nextAttemptAt <= ?2 order by id",
                MAX_ATTEMPTS,
                OffsetDateTime.now())
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .withHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2)
            .range(0, 49)
            .list();
    for (WebhookDelivery d : due) {
      Webhook w = Webhook.findById(d.webhookId);
      d.attempts++;
      try {
        int status = send(w, d.payload);
        if (status >= 200 && status < 300) {
          d.deliveredAt = OffsetDateTime.now();
          d.lastError = null;
          continue;
        }
        d.lastError = "HTTP " + status;
      } catch (Exception e) {
        d.lastError = e.getClass().getSimpleName();
      }
      long delay = Math.min(2L << Math.min(d.attempts, 16), 6 * 3600);
      d.nextAttemptAt = OffsetDateTime.now().plusSeconds(delay);
      Log.infof(
          "Webhook %s: delivery %d failed (%s), attempt %d", w.id, d.id, d.lastError, d.attempts);
    }
  }

  static int send(Webhook w, String payload) throws Exception {
    long t = System.currentTimeMillis() / 1000;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(w.url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Salons-Signature", "t=" + t + ",v1=" + sign(w.secret, t + "." + payload))
            .POST(HttpRequest.BodyPublishers.ofString(payload))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** HMAC-SHA256 of a message, in hex. */
  public static String sign(String secret, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }
}
