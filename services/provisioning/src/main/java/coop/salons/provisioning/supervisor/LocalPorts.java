package coop.salons.provisioning.supervisor;

import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Local ports for local instances: the next pair no instance ever had and nothing listens on. An
 * instance's server answers its clients on the first port; a Matrix server federates on the second
 * (TLS), which is in its server name ({@code localhost:<port + 1>}).
 */
final class LocalPorts {

  private LocalPorts() {}

  static int next(EntityManager em, int first) {
    // One allocation at a time across replicas and workers (held until the transaction ends).
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('local-ports'))").getSingleResult();
    Number max =
        (Number) em.createNativeQuery("SELECT max(local_port) FROM instance").getSingleResult();
    int port = max == null ? first : Math.max(first, max.intValue() + 2);
    while (!free(port) || !free(port + 1)) {
      port += 2;
    }
    return port;
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
