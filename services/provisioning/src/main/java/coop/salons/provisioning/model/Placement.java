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
    Optional<LocalFederation> localFederation) {

  /**
   * Federation between Matrix servers of one machine (DESIGN.md, "Local federation"): a TLS
   * listener on its own port with a certificate from a CA the local runtime made, that CA as the
   * only one trusted, and loopback allowed. Never rendered on Kubernetes.
   */
  public record LocalFederation(
      int port, String certificate, String privateKey, String certificateAuthority) {}

  /** The public URL without its trailing slash. */
  public String baseUrl() {
    return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }
}
