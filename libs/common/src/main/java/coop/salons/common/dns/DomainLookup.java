package coop.salons.common.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks DNS whether a custom domain leads to the platform, through Vert.x's DNS client (the server
 * asked can be set, which Java 17's {@code InetAddress} does not allow, and JNDI is off in
 * Quarkus). Blocks the calling thread: call it from a worker, never from an event loop.
 */
public final class DomainLookup {

  /** The most CNAME records followed from one name. */
  static final int MAX_CNAMES = 8;

  private static final long QUERY_MILLIS = 3000;

  /** When DNS could not be asked, or did not say (a name that does not exist is an answer). */
  public static final class Failed extends Exception {
    public Failed(String name, Throwable cause) {
      super("DNS did not answer for " + name + ": " + cause, cause);
    }
  }

  private final DnsClient dns;

  /**
   * @param server {@code host} or {@code host:port} of the DNS server to ask; empty: the first of
   *     this machine's
   */
  public DomainLookup(Vertx vertx, String server) {
    DnsClientOptions options =
        new DnsClientOptions().setQueryTimeout(QUERY_MILLIS).setRecursionDesired(true);
    if (!server.isBlank()) {
      int colon = server.lastIndexOf(':');
      options.setHost(colon < 0 ? server : server.substring(0, colon));
      options.setPort(colon < 0 ? 53 : Integer.parseInt(server.substring(colon + 1)));
    }
    this.dns = vertx.createDnsClient(options);
  }

  /**
   * Whether {@code domain} leads to {@code target}: by CNAME records to it, or to one of its
   * addresses (the top of a zone cannot hold a CNAME, so it copies the target's A records).
   */
  public boolean leadsTo(String domain, String target) throws Failed {
    String name = normal(domain);
    String wanted = normal(target);
    for (int hop = 0; hop < MAX_CNAMES; hop++) {
      if (name.equals(wanted)) {
        return true;
      }
      List<String> cname = records(name, dns.resolveCNAME(name));
      if (cname.isEmpty()) {
        break;
      }
      name = normal(cname.get(0));
    }
    Set<String> theirs = addresses(name);
    theirs.retainAll(addresses(wanted));
    return !theirs.isEmpty();
  }

  private Set<String> addresses(String name) throws Failed {
    Set<String> all = new HashSet<>(records(name, dns.resolveA(name)));
    all.addAll(records(name, dns.resolveAAAA(name)));
    return all;
  }

  /** The records answered; none when the name does not exist. */
  /** Whether one of the TXT records of {@code name} holds exactly {@code value}. */
  public boolean holdsText(String name, String value) throws Failed {
    String n = normal(name);
    return records(n, dns.resolveTXT(n)).stream().anyMatch(value::equals);
  }

  private static List<String> records(String name, Future<List<String>> query) throws Failed {
    try {
      return query
          .toCompletionStage()
          .toCompletableFuture()
          .get(2 * QUERY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DnsException d && d.code() == DnsResponseCode.NXDOMAIN) {
        return List.of();
      }
      throw new Failed(name, e.getCause());
    } catch (TimeoutException e) {
      throw new Failed(name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed(name, e);
    }
  }

  private static String normal(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
