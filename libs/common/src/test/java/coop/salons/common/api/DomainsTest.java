package coop.salons.common.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names an association can own, and names it cannot, by the Public Suffix List. */
class DomainsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.org",
        "chat.amis-terre.org",
        "discussions.velo.fr",
        "salon.example.co.uk",
        "chat.association.asso.fr",
        "xn--caf-dma.fr"
      })
  void ownable(String domain) {
    assertEquals(Optional.empty(), Domains.notOwnable(domain), domain);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "org",
        "co.uk",
        "github.io",
        "asso.fr",
        "salon.amis-terre.invalid",
        "printer.local",
        "chat.corp.internal",
        "localhost",
        "192.168.1.10",
        "not a name",
        ""
      })
  void notOwnable(String domain) {
    assertTrue(Domains.notOwnable(domain).isPresent(), domain);
  }
}
