package coop.salons.provisioning.accounts;

import static coop.salons.provisioning.Fixture.addMember;
import static coop.salons.provisioning.Fixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.accounts.MattermostAccounts.Outcome;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code accounts} login mode against {@link MattermostStandIn} — a stand-in written from
 * Mattermost's API reference, since no Mattermost server runs here (see its Javadoc for what it
 * cannot check) — with the real identity service and Keycloak as the source of membership. The sync
 * is called with the stand-in's address: the scheduled run reaches each instance at its public URL,
 * which this test cannot serve.
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class MattermostAccountsTest {

  static final String PASSWORD = "platform-admin-password-for-this-test";

  @Inject MattermostAccounts accounts;
  @Inject EntityManager em;

  private UUID instance(TestUser owner, String org) {
    return Fixture.instance(owner, org, "talk", "mattermost", "small");
  }

  private static void setRole(String org, TestUser owner, TestUser member, String role) {
    as(owner)
        .baseUri(Fixture.servers().identityUrl())
        .body(Map.of("role", role))
        .put("/api/v1/organizations/" + org + "/members/" + member.id() + "/role")
        .then()
        .statusCode(200);
  }

  private static void remove(String org, TestUser owner, TestUser member) {
    as(owner)
        .baseUri(Fixture.servers().identityUrl())
        .delete("/api/v1/organizations/" + org + "/members/" + member.id())
        .then()
        .statusCode(204);
  }

  /**
   * The instance's AccountsSynced condition as its owner reads it: status, reason, message, time.
   */
  private static List<String> accountsCondition(TestUser owner, String org) {
    Map<String, Object> c =
        as(owner)
            .get(Fixture.path(org) + "/talk")
            .then()
            .statusCode(200)
            .extract()
            .path("conditions.find { it.type == 'AccountsSynced' }");
    assertNotNull(c, "an accounts-mode instance has the condition");
    return List.of(
        (String) c.get("status"),
        (String) c.get("reason"),
        (String) c.get("message"),
        (String) c.get("lastTransitionTime"));
  }

  private static String email(TestUser u) {
    return u.username() + "@example.org";
  }

  @Test
  void accountsFollowMembership() throws Exception {
    TestUser owner = Fixture.user("mma-owner");
    TestUser anne = Fixture.user("mma-anne");
    TestUser bruno = Fixture.user("mma-bruno");
    String org = Fixture.organization(owner);
    UUID id = instance(owner, org);
    try (MattermostStandIn mm = new MattermostStandIn()) {
      assertEquals(List.of("Unknown", "NotSyncedYet"), accountsCondition(owner, org).subList(0, 2));
      // Sign-up is off, as the platform renders it: without its account the sync says how to
      // make it, and makes nothing; the instance's owners see why.
      IllegalStateException missing =
          assertThrows(
              IllegalStateException.class,
              () -> accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      assertTrue(missing.getMessage().contains("mmctl --local"), missing.getMessage());
      assertTrue(mm.users.isEmpty() && mm.teams.isEmpty());
      List<String> failing = accountsCondition(owner, org);
      assertEquals(List.of("False", "SyncFailing", missing.getMessage()), failing.subList(0, 3));
      // Once the server's start-up command (or the operator) made it: the organisation's
      // invite-only team is made; the owner gets an account and a link to choose a password.
      MattermostStandIn.User admin = mm.bootstrapAdmin(MattermostAccounts.ADMIN, PASSWORD);
      assertEquals(new Outcome(1, 0, 0), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      List<String> synced = accountsCondition(owner, org);
      assertEquals(
          List.of("True", "Synced", "1 member has a Mattermost account."), synced.subList(0, 3));
      assertTrue(
          java.time.OffsetDateTime.parse(synced.get(3))
              .isAfter(java.time.OffsetDateTime.parse(failing.get(3))),
          "moved at the transition");
      assertTrue(admin.systemAdmin);
      MattermostStandIn.Team team = mm.teams.values().iterator().next();
      assertEquals(org, team.name());
      assertEquals("I", team.type());
      MattermostStandIn.User o = mm.byEmail(email(owner));
      assertNotNull(o);
      assertEquals("mma-owner", o.username);
      assertFalse(o.systemAdmin);
      assertTrue(mm.members.get(team.id()).get(o.id), "owners are team admins");
      assertEquals(List.of(email(owner)), mm.passwordResets);

      // Two people join.
      addMember(org, owner, anne, "member");
      addMember(org, owner, bruno, "admin");
      assertEquals(new Outcome(2, 0, 0), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      MattermostStandIn.User a = mm.byEmail(email(anne));
      MattermostStandIn.User b = mm.byEmail(email(bruno));
      assertFalse(mm.members.get(team.id()).get(a.id));
      assertTrue(mm.members.get(team.id()).get(b.id));
      assertTrue(mm.passwordResets.containsAll(List.of(email(anne), email(bruno))));

      // Nothing changed: nothing is written to Mattermost (signing in is not a change).
      int writes = mm.writes.size();
      assertEquals(new Outcome(0, 0, 0), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      assertEquals(List.of("POST /users/login"), mm.writes.subList(writes, mm.writes.size()));
      // The count follows; the condition's time moves only when the sync starts or stops working.
      assertEquals(
          List.of("True", "Synced", "3 members have a Mattermost account.", synced.get(3)),
          accountsCondition(owner, org));
      // Another organisation's member sees nothing of it.
      TestUser outsider = Fixture.user("mma-outsider");
      Fixture.organization(outsider);
      as(outsider).get(Fixture.path(org) + "/talk").then().statusCode(404);

      // A role changes; someone leaves (deactivated, out of the team, never deleted).
      setRole(org, owner, anne, "admin");
      remove(org, owner, bruno);
      assertEquals(new Outcome(0, 1, 1), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      assertTrue(mm.members.get(team.id()).get(a.id));
      assertTrue(b.deleteAt > 0);
      assertFalse(mm.members.get(team.id()).containsKey(b.id));
      assertTrue(mm.users.containsKey(b.id));

      // They come back: the same account, reactivated, with a new link.
      int resets = mm.passwordResets.size();
      addMember(org, owner, bruno, "member");
      assertEquals(new Outcome(1, 0, 0), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      assertEquals(0, b.deleteAt);
      assertFalse(mm.members.get(team.id()).get(b.id));
      assertEquals(resets + 1, mm.passwordResets.size());

      // A sync cut short after Mattermost made an account but before it was recorded: the next
      // one finds the account by its email and adopts it, making no second one.
      forget(id, anne);
      int users = mm.users.size();
      assertEquals(new Outcome(1, 0, 0), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      assertEquals(users, mm.users.size());
    }
  }

  @Test
  void aTakenUsernameGetsANumberAndAWrongPasswordStopsTheSync() throws Exception {
    TestUser owner = Fixture.user("mma-keeper");
    TestUser camille = Fixture.user("mma-camille");
    String org = Fixture.organization(owner);
    UUID id = instance(owner, org);
    try (MattermostStandIn mm = new MattermostStandIn()) {
      // A server whose sign-up is still open: the platform's account is its first account, hence
      // its system administrator.
      mm.signUpOpen = true;
      accounts.sync(id, org, "Talk", mm.url(), PASSWORD);
      assertTrue(mm.byUsername(MattermostAccounts.ADMIN).systemAdmin);
      mm.signUpOpen = false;
      mm.addUser("mma-camille", "someone-else@example.net");
      addMember(org, owner, camille, "member");
      assertEquals(new Outcome(1, 0, 0), accounts.sync(id, org, "Talk", mm.url(), PASSWORD));
      assertEquals("mma-camille-2", mm.byEmail(email(camille)).username);

      // Someone changed the platform's password on the server: the sync stops, changing nothing.
      int writes = mm.writes.size();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> accounts.sync(id, org, "Talk", mm.url(), "not-the-password"));
      assertTrue(e.getMessage().contains(MattermostAccounts.ADMIN));
      assertTrue(
          mm.writes.subList(writes, mm.writes.size()).stream()
              .allMatch(w -> w.startsWith("POST /users")),
          "only sign-in attempts and a refused account creation");
      assertEquals(4, mm.users.size());
    }
  }

  @Test
  void usernamesFollowMattermostsRules() {
    assertEquals("ada", MattermostAccounts.username("Ada", 0));
    assertEquals("u1st", MattermostAccounts.username("1st", 0));
    assertEquals("jo0", MattermostAccounts.username("jo", 0));
    assertEquals(
        "marie-claire-dupont", MattermostAccounts.username("marie claire dupont-lefebvre", 0));
    assertEquals("u-all", MattermostAccounts.username("all", 0));
    assertEquals("ada-3", MattermostAccounts.username("ada", 2));
    for (String name : List.of("Ada", "1st", "jo", "marie claire dupont-lefebvre", "all", "é@x")) {
      for (int attempt = 0; attempt < 9; attempt++) {
        String u = MattermostAccounts.username(name, attempt);
        assertTrue(u.matches("^[a-z][a-z0-9._-]{2,21}$"), u);
        assertTrue(MattermostAccounts.sameName(u, name), u);
      }
    }
  }

  private void forget(UUID id, TestUser who) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "DELETE FROM mattermost_account WHERE instance_id = ?1 AND user_id = ?2")
                    .setParameter(1, id)
                    .setParameter(2, who.id())
                    .executeUpdate());
  }
}
