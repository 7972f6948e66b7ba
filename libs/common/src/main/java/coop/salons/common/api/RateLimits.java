package coop.salons.common.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ceiling on how often one caller (a person, an organisation, a network address) may do what
 * creates or mails: beyond it, 429 with {@code Retry-After}. Counted per replica, in windows of an
 * hour.
 */
@ApplicationScoped
public class RateLimits {

  /** The limits ({@code salons.rate-limits.*}): how many an hour, on or off. */
  @ConfigMapping(prefix = "salons.rate-limits")
  public interface Config {
    @WithDefault("true")
    boolean enabled();

    /** Organisations one person creates in an hour. */
    @WithDefault("10")
    int organizationsPerHour();

    /** Instances one organisation asks for in an hour. */
    @WithDefault("20")
    int instancesPerHour();

    /** Members one organisation adds in an hour (each may mail an invitation). */
    @WithDefault("50")
    int invitationsPerHour();

    /**
     * Creations and mailings of every kind from one network address in an hour, whoever signs them:
     * many accounts made to get round the per-person ceilings still share one. Generous, since an
     * association's office puts many people behind one address.
     */
    @WithDefault("200")
    int perAddressPerHour();
  }

  /** What is limited, and its limit in the settings. */
  public enum Limit {
    ORGANIZATIONS("organizations"),
    INSTANCES("instances"),
    INVITATIONS("invitations");

    final String what;

    Limit(String what) {
      this.what = what;
    }

    int of(Config c) {
      return switch (this) {
        case ORGANIZATIONS -> c.organizationsPerHour();
        case INSTANCES -> c.instancesPerHour();
        case INVITATIONS -> c.invitationsPerHour();
      };
    }
  }

  static final Duration WINDOW = Duration.ofHours(1);

  @Inject Config config;

  private final Map<String, long[]> windows = new ConcurrentHashMap<>();

  /** Refused beyond the limit, counted for {@code who} (a person's id, an organisation's slug). */
  public void check(Limit what, String who) {
    if (!config.enabled()) {
      return;
    }
    count(what.what, who, what.of(config));
  }

  /**
   * The same, and counted for the network address the request came from (behind the platform's
   * ingress, the address it forwards), against {@code per-address-per-hour}: refused beyond either.
   */
  public void check(Limit what, String who, String address) {
    if (!config.enabled()) {
      return;
    }
    if (address != null) {
      count("creations from one address", address, config.perAddressPerHour());
    }
    count(what.what, who, what.of(config));
  }

  private void count(String action, String who, int limit) {
    long now = System.currentTimeMillis();
    if (windows.size() > 10_000) {
      windows.values().removeIf(w -> now - w[0] >= WINDOW.toMillis()); // windows long over
    }
    long[] w =
        windows.compute(
            action + "|" + who,
            (k, old) -> {
              if (old == null || now - old[0] >= WINDOW.toMillis()) {
                return new long[] {now, 1};
              }
              return new long[] {old[0], old[1] + 1};
            });
    if (w[1] > limit) {
      long retryAfter = Math.max(1, (w[0] + WINDOW.toMillis() - now + 999) / 1000);
      throw new Limited(action, limit, retryAfter);
    }
  }

  /** The address a request came from (the ingress forwards the client's: see each service). */
  public static String addressOf(io.vertx.core.http.HttpServerRequest request) {
    return request == null || request.remoteAddress() == null
        ? null
        : request.remoteAddress().hostAddress();
  }

  /** The refusal: 429, and when to try again. */
  public static final class Limited extends ProblemException {
    private final long retryAfterSeconds;

    Limited(String action, int limit, long retryAfterSeconds) {
      super(
          429,
          "rate-limited",
          "Too many requests",
          "At most " + limit + " " + action + " an hour; try again in " + retryAfterSeconds + " s.",
          List.of(),
          Map.of("retryAfter", retryAfterSeconds));
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
