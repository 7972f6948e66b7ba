package coop.salons.commons;

import coop.salons.testing.NoCycles;
import org.junit.jupiter.api.Test;

/** The service's packages depend on each other one way only (see {@link NoCycles}). */
class PackagesFormNoCycleTest {

  @Test
  void packagesFormNoCycle() {
    NoCycles.inPackagesOf("coop.salons.commons");
  }
}
