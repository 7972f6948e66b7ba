package coop.salons.provisioning.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * How members sign in to a Mattermost instance. Synapse always uses OpenID Connect; Mattermost's
 * free editions have no SSO since v11, hence three modes (see docs/operator-guide.md).
 */
public enum LoginMode {
  /** OpenID Connect straight to the Keycloak realm (licensed Mattermost editions). */
  OPENID("openid"),
  /** The GitLab shim against Keycloak: Mattermost ≤ 10.11 only, unsupported since August 2026. */
  GITLAB("gitlab"),
  /** The platform creates and deactivates members' accounts through Mattermost's REST API. */
  ACCOUNTS("accounts");

  private final String id;

  LoginMode(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<LoginMode> of(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
