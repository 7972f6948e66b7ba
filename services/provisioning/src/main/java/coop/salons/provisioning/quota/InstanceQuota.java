package coop.salons.provisioning.quota;

import coop.salons.common.api.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * An instance holds one slot of its organisation's {@code instances} quota in billing, under the
 * key {@code instance-<id>}, from its creation to its purge (ADR 12). Billing's refusal reaches the
 * caller as it is (403 quota-exceeded, with the quota and the figures); a billing that does not
 * answer refuses the creation (503), since the platform cannot tell whether the slot is free.
 */
@ApplicationScoped
public class InstanceQuota {

  static final String QUOTA = "instances";

  @Inject @RestClient BillingQuotas billing;

  public static String key(UUID instance) {
    return "instance-" + instance;
  }

  /** Holds a slot for the instance, or refuses. */
  public void claim(String org, UUID instance) {
    try (Response r = billing.claim(org, new BillingQuotas.Claim(QUOTA, key(instance), 1))) {
      // 201 held, 200 held already: both fine.
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 403) {
        throw ProblemException.relayed(e.getResponse());
      }
      throw unavailable(e.getResponse().getStatus() + "");
    } catch (ProcessingException e) {
      throw unavailable(e.getMessage());
    }
  }

  /** Lets the slot go (a purge, or a creation that did not go through); idempotent. */
  public void release(String org, UUID instance) {
    try (Response r = billing.release(org, QUOTA, key(instance))) {
      // 204 either way.
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() != 404) {
        throw e;
      }
    }
  }

  /** Releases without failing: for a creation that failed after its claim. */
  public void releaseQuietly(String org, UUID instance) {
    try {
      release(org, instance);
    } catch (RuntimeException e) {
      Log.warnf(
          "Could not release the quota slot of instance %s of %s: %s",
          instance, org, e.getMessage());
    }
  }

  private static ProblemException unavailable(String why) {
    Log.warnf("Billing did not check an instance quota: %s", why);
    return ProblemException.unavailable(
        "quota-check-unavailable",
        "Quota check unavailable",
        "Billing could not check the organisation's quotas; nothing was created. Try again in a"
            + " moment.");
  }
}
