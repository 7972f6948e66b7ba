package coop.salons.testing;

import coop.salons.testing.TestServers.TestUser;
import org.junit.jupiter.api.Test;

/**
 * The three tests every API service runs with its {@link AuthorizationContract}: the OpenAPI is
 * covered, every stranger is refused and changes nothing, the least role needed is let in. A
 * service's test implements this with its own operations, people and what the owner sees.
 */
public interface AuthorizationContractSuite {

  /** The people of the fixture: an organisation's owner, admin and member, and an outsider. */
  record Cast(TestUser owner, TestUser admin, TestUser member, TestUser outsider) {}

  /** Every operation of the service and who may call it. */
  AuthorizationContract contract();

  /** The fixture's people (made before each test runs). */
  Cast cast();

  /** What the organisation's owner sees that a refused call could change. */
  String state();

  /** The token of an automation client of the organisation, made and then revoked. */
  String revokedAutomation();

  @Test
  default void everyOperationOfTheOpenApiHasACase() {
    contract().assertCovers(AuthorizationContract.documented());
  }

  @Test
  default void strangersAreRefusedEverywhereAndChangeNothing() {
    TestServers servers = TestServers.get();
    contract()
        .assertRefusals(
            AuthorizationContract.documented(),
            people(servers.tokenForAnotherAudience(cast().owner()), revokedAutomation()),
            this::state);
  }

  @Test
  default void theLeastRoleNeededIsLetIn() {
    contract().assertReadsLetIn(people(null, null));
  }

  private AuthorizationContract.People people(String otherAudience, String revoked) {
    TestServers servers = TestServers.get();
    Cast c = cast();
    return new AuthorizationContract.People(
        servers.token(c.owner()),
        servers.token(c.admin()),
        servers.token(c.member()),
        servers.token(c.outsider()),
        otherAudience,
        revoked);
  }
}
