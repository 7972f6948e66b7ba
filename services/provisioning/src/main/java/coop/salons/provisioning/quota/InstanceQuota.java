package coop.salons.provisioning.quota;

import coop.salons.billingclient.QuotaClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * An instance holds one slot of its organisation's {@code instances} quota in billing, under the
 * key {@code instance-<id>}, from its creation to its purge (docs/adr/0012).
 */
@ApplicationScoped
public class InstanceQuota {

  static final String QUOTA = "instances";

  @Inject QuotaClaims claims;

  public static String key(UUID instance) {
    return "instance-" + instance;
  }

  /** Holds a slot for the instance, or refuses (403 from billing, 503 without it). */
  public void claim(String org, UUID instance) {
    claims.claim(org, QUOTA, key(instance), 1, false);
  }

  /** Lets the slot go (the purge's last step); idempotent. */
  public void release(String org, UUID instance) {
    claims.release(org, QUOTA, key(instance));
  }

  /** Releases without failing: for a creation that did not commit after its claim. */
  public void releaseQuietly(String org, UUID instance) {
    claims.releaseQuietly(org, QUOTA, key(instance));
  }
}
