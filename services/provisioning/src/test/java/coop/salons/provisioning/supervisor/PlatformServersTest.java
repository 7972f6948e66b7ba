package coop.salons.provisioning.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.commons.CommonsServer;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceState;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The commons' federation list: settled once a day, the same for every replica (ADR 19); the
 * commons server on every list from the start, and its own list live (ADR 21).
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class PlatformServersTest {

  @Inject PlatformServers servers;
  @Inject CommonsServer commons;

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

  @Test
  void theCommonsServerIsOnEveryListFromTheStartAndTakesNewServersAtOnce() {
    QuarkusTransaction.requiringNew().run(commons::ensure);
    QuarkusTransaction.requiringNew().run(commons::ensure); // asked for once only
    try {
      assertEquals(
          1L,
          QuarkusTransaction.requiringNew()
              .call(() -> Instance.count("organizationSlug = 'commons' and state <> 'deleted'")));
      // Made today, it is on the nightly list of every platform-only server all the same.
      assertTrue(servers.list().contains("commons.chat.example.org"), servers.list().toString());

      TestUser owner = Fixture.user("commons-newcomer");
      String org = Fixture.organization(owner);
      UUID matrix = Fixture.instance(owner, org, "salon", "matrix", "small");
      String host = "salon." + org + ".chat.example.org";
      assertTrue(servers.live().contains(host), "the commons' own list is live");
      assertFalse(servers.list().contains(host), "the others' waits for the night");

      // Once the new server has its name, the commons server is due at once to take it in.
      OffsetDateTime later = OffsetDateTime.now().plusDays(1);
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                Instance c = commons.find().orElseThrow();
                c.nextAttemptAt = later;
                c.state = InstanceState.READY.id();
                c.federationServing = "commons.chat.example.org";
                servers.named(Instance.findById(matrix));
              });
      assertTrue(dueBefore(later), "due again");

      // The newcomer is not ready while the commons server does not serve a list naming it (and
      // asking makes the commons server due again) ...
      QuarkusTransaction.requiringNew()
          .run(() -> commons.find().orElseThrow().nextAttemptAt = later);
      Optional<String> awaited =
          QuarkusTransaction.requiringNew().call(() -> servers.awaitedBy(matrix, host));
      assertEquals(Optional.of("waiting for the commons server to take this server in"), awaited);
      assertTrue(dueBefore(later), "asked again");
      // ... and is once it does.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  commons.find().orElseThrow().federationServing =
                      "commons.chat.example.org," + host);
      assertEquals(
          Optional.empty(),
          QuarkusTransaction.requiringNew().call(() -> servers.awaitedBy(matrix, host)));

      // No association can take the commons server's plan.
      Fixture.as(owner)
          .body(java.util.Map.of("slug", "big", "flavour", "matrix", "plan", "commons"))
          .post(Fixture.path(org))
          .then()
          .statusCode(400);
    } finally {
      // The other tests of this profile do not expect a commons server.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  Instance.update(
                      "state = 'deleted' where organizationSlug = 'commons' and state <> 'deleted'"));
    }
  }

  private boolean dueBefore(OffsetDateTime later) {
    return QuarkusTransaction.requiringNew()
        .call(() -> commons.find().orElseThrow().nextAttemptAt)
        .isBefore(later);
  }
}
