package coop.salons.provisioning.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.KubernetesStandIn;
import coop.salons.provisioning.instance.Instance;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The commons' federation list: settled once a day, the same for every replica (ADR 19). */
@QuarkusTest
@TestProfile(KubernetesStandIn.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class PlatformServersTest {

  @Inject PlatformServers servers;

  @Test
  void theBoundaryIsTheLastSettlingTimeNotAfterNow() {
    LocalTime three = LocalTime.of(3, 0);
    assertEquals(
        OffsetDateTime.parse("2026-11-25T03:00Z"),
        PlatformServers.boundary(OffsetDateTime.parse("2026-11-25T10:00Z"), three));
    assertEquals(
        OffsetDateTime.parse("2026-11-24T03:00Z"),
        PlatformServers.boundary(OffsetDateTime.parse("2026-11-25T02:59:59Z"), three));
    assertEquals(
        OffsetDateTime.parse("2026-11-25T03:00Z"),
        PlatformServers.boundary(OffsetDateTime.parse("2026-11-25T03:00Z"), three));
    // Another offset, the same instant.
    assertEquals(
        OffsetDateTime.parse("2026-11-24T03:00Z"),
        PlatformServers.boundary(OffsetDateTime.parse("2026-11-25T03:30+01:00"), three));
  }

  @Test
  void aNewMatrixServerJoinsTheListAtTheNextBoundaryAndAMattermostOneNever() {
    TestUser owner = Fixture.user("commons-owner");
    String org = Fixture.organization(owner);
    UUID matrix = Fixture.instance(owner, org, "salon", "matrix", "small");
    String otherOrg = Fixture.organization(owner);
    Fixture.instance(owner, otherOrg, "equipe", "mattermost", "small");
    OffsetDateTime made =
        QuarkusTransaction.requiringNew().call(() -> Instance.<Instance>findById(matrix).createdAt);
    String host = "salon." + org + ".chat.example.org";

    List<String> sameDay = servers.list(made);
    assertFalse(sameDay.contains(host), "made after the boundary before it: " + sameDay);
    List<String> nextDay = servers.list(made.plusDays(1));
    assertTrue(nextDay.contains(host), "on the list after the next boundary: " + nextDay);
    assertFalse(nextDay.contains("equipe." + otherOrg + ".chat.example.org"), "not Matrix");
    // Within a day the list does not change, whenever it is read.
    OffsetDateTime boundary = PlatformServers.boundary(made.plusDays(1), LocalTime.of(3, 0));
    assertEquals(servers.list(boundary), servers.list(boundary.plusHours(23)));
  }
}
