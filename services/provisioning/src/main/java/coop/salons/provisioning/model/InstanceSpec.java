package coop.salons.provisioning.model;

import java.util.List;
import java.util.UUID;

/**
 * Everything the renderers need to know about one instance: its desired state, already validated.
 * Pure data; the renderers turn it into configuration files and Kubernetes objects.
 *
 * @param host the public host name (the custom domain if there is one)
 * @param version the chat server's version (the image tag)
 * @param platformServers the server names of the platform's other Matrix instances (federation
 *     {@code platform-only})
 * @param suspended run no server (scaled to zero), keep the data
 * @param commons the platform's own commons server: its sign-in admits every platform user, and its
 *     rooms are published by the platform's account only
 * @param signInGate where a Mattermost instance reads its users when they sign in through the realm
 *     (identity's organisation gate, as chat servers reach it; docs/adr/0030)
 * @param retentionDays messages older than this many days are removed (0: kept)
 * @param mediaRetentionDays uploaded files not read for this many days are removed, and copies of
 *     other servers' files as well (0: kept)
 * @param purgeEvery how often the server removes what its retention no longer keeps (a duration
 *     Synapse reads: {@code 12h}, {@code 30s}); the hoster's setting
 * @param routed whether the host enters routing and certificates (an Ingress): always for a name
 *     under the platform's domain, once proven for a custom domain (docs/adr/0028)
 * @param authService a Matrix instance whose members sign in through the Matrix Authentication
 *     Service beside it (Element X needs it), not through Synapse's own single sign-on
 *     (docs/adr/0038)
 */
public record InstanceSpec(
    UUID id,
    String organization,
    String slug,
    String displayName,
    Flavour flavour,
    String image,
    String version,
    String host,
    PlanLimits plan,
    Federation federation,
    int retentionDays,
    int mediaRetentionDays,
    String purgeEvery,
    List<String> platformServers,
    boolean suspended,
    Database database,
    String issuer,
    String signInGate,
    long generation,
    boolean commons,
    boolean routed,
    boolean authService) {

  /** The instance's database on the tenants' server; the password is a secret, not here. */
  public record Database(String host, int port, String name, String user) {}

  /** The OIDC client identity keeps for this instance in the realm. */
  public String clientId() {
    return "instance-" + id;
  }

  /** The instance's database and role name: a PostgreSQL identifier derived from its id. */
  public static String databaseName(UUID id) {
    return "chat_" + id.toString().replace("-", "");
  }

  /** The server's image with its tag (Synapse's tags start with a {@code v}). */
  public String imageReference() {
    return image + ":" + flavour.imageTag(version);
  }

  public LoginMode login() {
    return flavour == Flavour.MATRIX ? LoginMode.OPENID : plan.login();
  }
}
