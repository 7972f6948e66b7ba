package coop.salons.provisioning.model;

/**
 * Where a runtime runs an instance: the address it listens on, its public URL and the folders the
 * configuration names. On Kubernetes these are the container's paths; locally, folders on disk.
 */
public record Placement(
    String bindAddress,
    int port,
    String publicUrl,
    String configDir,
    String dataDir,
    String secretsDir) {

  /** The public URL without its trailing slash. */
  public String baseUrl() {
    return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }
}
