package coop.salons.provisioning.runtime;

import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Local ports for local instances: the next block of {@link #BLOCK} no instance ever had and
 * nothing listens on. An instance's server answers its clients on the first port; a Matrix server
 * federates on the second (TLS), which is in its server name ({@code localhost:<port + 1>}); the
 * Matrix Authentication Service beside it takes the third and fourth (docs/adr/0038). Instances
 * made before MAS ran locally have pairs, and never get MAS.
 */
public final class LocalPorts {

  /** The ports of one instance. */
  public static final int BLOCK = 4;

  private LocalPorts() {}

  public static int next(EntityManager em, int first) {
    // One allocation at a time across replicas and workers (held until the transaction ends).
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('local-ports'))").getSingleResult();
    Number max =
        (Number) em.createNativeQuery("SELECT max(local_port) FROM instance").getSingleResult();
    int port = max == null ? first : Math.max(first, max.intValue() + BLOCK);
    while (!free(port)) {
      port += BLOCK;
    }
    return port;
  }

  /** Whether nothing listens on the block of ports from {@code port}. */
  public static boolean free(int port) {
    for (int p = port; p < port + BLOCK; p++) {
      if (!bindable(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
