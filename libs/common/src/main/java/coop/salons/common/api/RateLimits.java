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
 * A ceiling on how often one caller (a person, an organisation) may do what creates or mails:
 * beyond it, 429 with {@code Retry-After}. Counted per replica, in windows of an hour.
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
    int limit = what.of(config);
    String action = what.what;
    long now = System.currentTimeMillis();
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
