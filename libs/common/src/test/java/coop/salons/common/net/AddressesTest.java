package coop.salons.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The addresses a request on someone's behalf may not go to, and some it may. */
class AddressesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "::1",
        "0.0.0.0",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "198.18.0.1",
        "192.0.0.8",
        "240.0.0.1",
        "fd00::1",
        "fe80::1",
        "64:ff9b::a00:1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "224.0.0.1"
      })
  void internal(String address) throws Exception {
    assertTrue(Addresses.internal(InetAddress.getByName(address)).isPresent(), address);
  }

  /** A name is refused for any one of its addresses, with the address and why. */
  @org.junit.jupiter.api.Test
  void aNameLeadingInsideIsRefused() throws Exception {
    Optional<String> why = Addresses.refused("localhost");
    assertTrue(why.isPresent() && why.get().contains("loopback"), why.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.1.1", "93.184.215.14", "100.128.0.1", "2001:4860:4860::8888"})
  void onTheInternet(String address) throws Exception {
    assertEquals(Optional.empty(), Addresses.internal(InetAddress.getByName(address)), address);
  }
}
