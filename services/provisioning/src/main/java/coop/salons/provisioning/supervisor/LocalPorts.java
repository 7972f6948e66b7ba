package coop.salons.provisioning.supervisor;

import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Local ports for local instances: the next one no instance ever had and nothing listens on. */
final class LocalPorts {

  private LocalPorts() {}

  static int next(EntityManager em, int first) {
    // One allocation at a time across replicas and workers (held until the transaction ends).
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('local-ports'))").getSingleResult();
    Number max =
        (Number) em.createNativeQuery("SELECT max(local_port) FROM instance").getSingleResult();
    int port = max == null ? first : Math.max(first, max.intValue() + 1);
    while (!free(port)) {
      port++;
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
