package coop.salons.provisioning.model;

import java.util.Optional;

/**
 * Where a runtime runs an instance: the address it listens on, its public URL and the folders the
 * configuration names. On Kubernetes these are the container's paths; locally, folders on disk.
 *
 * @param serverName the Matrix server name (the host on Kubernetes; {@code localhost:<port>} on one
 *     machine, where an explicit port saves every look-up)
 * @param runDir a folder for what lives only while the server runs (its local-mode socket), empty
 *     at each start on Kubernetes; never a network volume
 * @param localFederation on one machine only: how Matrix servers federate over loopback
 * @param authService where the Matrix Authentication Service beside a Matrix server answers, for
 *     the instances that sign in through it (docs/adr/0038); empty for Mattermost
 */
public record Placement(
    String bindAddress,
    int port,
    String publicUrl,
    String serverName,
    String configDir,
    String dataDir,
    String secretsDir,
    String runDir,
    Optional<LocalFederation> localFederation,
    Optional<AuthService> authService) {

  /**
   * Federation between Matrix servers of one machine (DESIGN.md, "Local federation"): a TLS
   * listener on its own port with a certificate from a CA the local runtime made, that CA as the
   * only one trusted, and loopback allowed. Never rendered on Kubernetes.
   */
  public record LocalFederation(
      int port, String certificate, String privateKey, String certificateAuthority) {}

  /**
   * Where MAS answers: on Kubernetes under {@code /auth/} of the instance's host and inside its
   * namespace; on one machine, on two loopback ports of its own beside the server's.
   *
   * @param publicBase MAS's address for people and clients (its {@code http.public_base})
   * @param endpoint where Synapse calls MAS (token introspection, its metadata)
   * @param synapseEndpoint where MAS calls Synapse (its admin API)
   * @param webBind the address of MAS's pages and OAuth 2.0 endpoints ({@code host:port})
   * @param compatBind the address of the Matrix paths MAS takes over, and of its health check
   */
  public record AuthService(
      String publicBase,
      String endpoint,
      String synapseEndpoint,
      String webBind,
      String compatBind) {

    /** The port of {@link #compatBind()}, where MAS answers {@code /health}. */
    public int healthPort() {
      return Integer.parseInt(compatBind.substring(compatBind.lastIndexOf(':') + 1));
    }
  }

  /** The public URL without its trailing slash. */
  public String baseUrl() {
    return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }
}
