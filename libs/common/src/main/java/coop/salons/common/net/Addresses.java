package coop.salons.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where the platform may send a request on someone's behalf (webhooks, organisations' identity
 * providers): never to its own machines or a network that is not the Internet. Checked on the
 * addresses a host name resolves to, each of them, when the request is made.
 */
public final class Addresses {

  private Addresses() {}

  /** What kind of internal address this is, or empty for an address on the Internet. */
  public static Optional<String> internal(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (a.isAnyLocalAddress()) {
      return Optional.of("unspecified");
    }
    if (a.isLinkLocalAddress()) {
      return Optional.of("link-local");
    }
    if (a.isSiteLocalAddress()) {
      return Optional.of("private");
    }
    if (a.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return Optional.of("this network");
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return Optional.of("carrier-grade NAT");
      }
      if (first == 198 && (second == 18 || second == 19)) {
        return Optional.of("benchmarking");
      }
      if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
        return Optional.of("IETF protocol assignments");
      }
      if (first >= 240) {
        return Optional.of("reserved");
      }
      return Optional.empty();
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return Optional.of("unique local");
      }
      // 64:ff9b::/96 and 64:ff9b:1::/48: NAT64, an IPv4 address behind it.
      if ((b[0] & 0xff) == 0x00
          && (b[1] & 0xff) == 0x64
          && (b[2] & 0xff) == 0xff
          && (b[3] & 0xff) == 0x9b) {
        return Optional.of("NAT64");
      }
      boolean v4Mapped = true;
      for (int i = 0; i < 10; i++) {
        v4Mapped &= b[i] == 0;
      }
      if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          byte[] v4 = {b[12], b[13], b[14], b[15]};
          return internal(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
          return Optional.of("IPv4-mapped");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Why a host may not be sent to, or empty when every address it resolves to is on the Internet.
   *
   * @throws UnknownHostException when it does not resolve
   */
  public static Optional<String> refused(String host) throws UnknownHostException {
    for (InetAddress a : InetAddress.getAllByName(host)) {
      Optional<String> kind = internal(a);
      if (kind.isPresent()) {
        return Optional.of(
            host + " is at " + a.getHostAddress() + ", a " + kind.get() + " address");
      }
    }
    return Optional.empty();
  }
}
