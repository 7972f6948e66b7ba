package coop.salons.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real DNS server (dnsmasq, installed by {@code ./salons test}) on a free port, holding what an
 * operator and three associations would have put in DNS: the platform's wildcard record (every name
 * under {@code chat.example.org}, the stand-in profile's base domain, leads to the ingress), a
 * domain with the ingress's address, a domain with a CNAME to a name of the platform, a domain
 * elsewhere; any other name under {@code example.net} does not exist.
 */
public class Dnsmasq implements QuarkusTestResourceLifecycleManager {

  public static final String INGRESS = "10.20.30.40";

  /**
   * The proof value the tests give the instance at proven.example.net and the identity provider of
   * mail-proven.example.net.
   */
  public static final String PROOF = "0123456789abcdef0123456789abcdef01234567";

  private Process process;

  @Override
  public Map<String, String> start() {
    // dnsmasq listens on UDP and TCP: a port free for UDP may be taken for TCP by another server
    // of the build ("Address already in use"); another port is tried then.
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return startOnFreePort();
      } catch (IllegalStateException e) {
        last = e;
        if (e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  private Map<String, String> startOnFreePort() {
    try {
      int port;
      try (DatagramSocket probe = new DatagramSocket(0)) {
        port = probe.getLocalPort();
      }
      Path dir = Files.createTempDirectory("dnsmasq");
      process =
          new ProcessBuilder(
                  List.of(
                      binary(),
                      "--keep-in-foreground",
                      "--port=" + port,
                      "--listen-address=127.0.0.1",
                      "--bind-interfaces",
                      "--conf-file=/dev/null",
                      "--no-resolv",
                      "--no-hosts",
                      "--no-poll",
                      "--pid-file=" + dir.resolve("dnsmasq.pid"),
                      "--user=" + System.getProperty("user.name"),
                      // Answered here, never forwarded: a name not listed does not exist.
                      "--local=/example.net/",
                      "--local=/chat.example.org/",
                      "--address=/chat.example.org/" + INGRESS,
                      "--host-record=ingress.chat.example.org," + INGRESS,
                      "--address=/by-address.example.net/" + INGRESS,
                      "--cname=by-cname.example.net,ingress.chat.example.org",
                      "--address=/elsewhere.example.net/10.9.9.9",
                      // The proof of proven.example.net, with the value DomainChecksTest gives it.
                      "--txt-record=_salons-proof.proven.example.net,salons-proof=" + PROOF,
                      "--txt-record=_salons-proof.wrong.example.net,salons-proof=not-the-value",
                      // An association's own email domain, proven for its identity provider.
                      "--txt-record=_salons-proof.mail-proven.example.net,salons-proof=" + PROOF))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("dnsmasq.log").toFile())
              .start();
      // Ready once it takes a TCP connection on its port (it answers UDP and TCP alike).
      Instant until = Instant.now().plus(Duration.ofSeconds(15));
      while (true) {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
          break;
        } catch (IOException notYet) {
          // not listening yet
        }
        if (!process.isAlive() || Instant.now().isAfter(until)) {
          throw new IllegalStateException(
              "dnsmasq did not answer: " + Files.readString(dir.resolve("dnsmasq.log")));
        }
        Thread.sleep(100);
      }
      return Map.of(
          "salons.provisioning.domains.dns-server", "127.0.0.1:" + port,
          "salons.identity.domains.dns-server", "127.0.0.1:" + port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/dnsmasq", "/usr/bin/dnsmasq")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return "dnsmasq";
  }

  @Override
  public void stop() {
    if (process != null) {
      process.destroy();
    }
  }
}
