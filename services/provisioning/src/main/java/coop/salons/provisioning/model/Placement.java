package coop.salons.provisioning.model;

/**
 * Where a runtime runs an instance: the address it listens on, its public URL and the folders the
 * configuration names. On Kubernetes these are the container's paths; locally, folders on disk.
 *
 * @param runDir a folder for what lives only while the server runs (its local-mode socket), empty
 *     at each start on Kubernetes; never a network volume
 */
public record Placement(
    String bindAddress,
    int port,
    String publicUrl,
    String configDir,
    String dataDir,
    String secretsDir,
    String runDir) {

  /** The public URL without its trailing slash. */
  public String baseUrl() {
    return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }
}
