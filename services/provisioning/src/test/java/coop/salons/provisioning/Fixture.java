package coop.salons.provisioning;

import coop.salons.testing.Fixtures;

/** The shared fixtures, and the paths of this service's API. */
public final class Fixture extends Fixtures {

  private Fixture() {}

  public static String path(String org) {
    return "/api/v1/organizations/" + org + "/instances";
  }
}
