package coop.salons.provisioning.access;

import static coop.salons.testing.AuthorizationContract.Caller.ADMIN;
import static coop.salons.testing.AuthorizationContract.Caller.MEMBER;
import static coop.salons.testing.AuthorizationContract.Caller.OWNER;
import static coop.salons.testing.AuthorizationContract.Caller.PUBLIC;
import static coop.salons.testing.AuthorizationContract.Caller.SERVICE;
import static coop.salons.testing.AuthorizationContract.Caller.STAFF;
import static coop.salons.testing.Fixtures.as;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.AuthorizationContract;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every operation of the provisioning API's OpenAPI against every kind of stranger (see {@link
 * AuthorizationContract}): an operation added without a case here fails the build.
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class AuthorizationContractTest implements coop.salons.testing.AuthorizationContractSuite {

  static TestUser owner;
  static TestUser admin;
  static TestUser member;
  static TestUser outsider;
  static String org;
  static String webhook;

  @BeforeEach
  void organisation() {
    if (org != null) {
      return;
    }
    owner = Fixture.user("contract-owner");
    admin = Fixture.user("contract-admin");
    member = Fixture.user("contract-member");
    outsider = Fixture.user("contract-outsider");
    org = Fixture.organization(owner);
    Fixture.addMember(org, owner, admin, "admin");
    Fixture.addMember(org, owner, member, "member");
    Fixture.organization(outsider);
    Fixture.instance(owner, org, "chat", "matrix", "small");
    webhook =
        as(owner)
            .body(Map.of("url", "https://hooks.example.org/salons"))
            .post("/api/v1/organizations/" + org + "/webhooks")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
  }

  @Override
  public AuthorizationContract contract() {
    Map<String, String> o = Map.of("org", org);
    Map<String, String> i = Map.of("org", org, "instance", "chat");
    Map<String, String> withBackup =
        Map.of("org", org, "instance", "chat", "backup", java.util.UUID.randomUUID().toString());
    Map<String, String> withRestore =
        Map.of("org", org, "instance", "chat", "restore", java.util.UUID.randomUUID().toString());
    Map<String, String> w = Map.of("org", org, "id", webhook);
    String instances = "/api/v1/organizations/{org}/instances";
    String one = instances + "/{instance}";
    return new AuthorizationContract()
        .operation("POST", instances, o, Map.of("slug", "other", "flavour", "matrix"), ADMIN)
        .operation("GET", instances, o, null, MEMBER)
        .operation("GET", one, i, null, MEMBER)
        .operation("PATCH", one, i, Map.of("displayName", "Hijacked"), ADMIN)
        .operation("POST", one + "/suspend", i, null, ADMIN)
        .operation("POST", one + "/authentication-service", i, null, STAFF)
        .operation("POST", one + "/resume", i, null, ADMIN)
        .operation("POST", one + "/domain-check", i, null, ADMIN)
        .operation("DELETE", one, i, null, OWNER)
        .operation("POST", one + "/restore", i, null, OWNER)
        .operation("GET", one + "/storage", i, null, ADMIN)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/instance-imports",
            o,
            Map.of("slug", "imported", "bundleUrl", "https://bundles.example.org/b.tar"),
            OWNER)
        .operation(
            "GET",
            "/api/v1/organizations/{org}/instance-imports/{import}",
            Map.of("org", org, "import", java.util.UUID.randomUUID().toString()),
            null,
            ADMIN)
        .operation("GET", one + "/backups", i, null, ADMIN)
        .operation("POST", one + "/backups", i, null, ADMIN)
        .operation("GET", one + "/backups/{backup}", withBackup, null, ADMIN)
        .operation(
            "POST", one + "/backups/{backup}/restore", withBackup, Map.of("confirm", "chat"), OWNER)
        .operation("GET", one + "/restores/{restore}", withRestore, null, ADMIN)
        .operation("POST", one + "/backups/{backup}/exit-link", withBackup, null, OWNER)
        .operation(
            "GET",
            "/api/v1/exit-bundles/{token}",
            Map.of("token", java.util.UUID.randomUUID() + ".4102444800.forged"),
            null,
            PUBLIC)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/webhooks",
            o,
            Map.of("url", "https://attacker.example.org/hook"),
            ADMIN)
        .operation("GET", "/api/v1/organizations/{org}/webhooks", o, null, ADMIN)
        .operation("GET", "/api/v1/organizations/{org}/webhooks/{id}/deliveries", w, null, ADMIN)
        .operation("DELETE", "/api/v1/organizations/{org}/webhooks/{id}", w, null, ADMIN)
        .operation("GET", "/api/v1/commons/matrix-servers", Map.of(), null, SERVICE)
        .operation("GET", "/api/v1/commons/server", Map.of(), null, PUBLIC);
  }

  @Override
  public Cast cast() {
    return new Cast(owner, admin, member, outsider);
  }

  @Override
  public String revokedAutomation() {
    return coop.salons.testing.Fixtures.revokedAutomationToken(
        owner, org, "/api/v1/organizations/" + org + "/instances");
  }

  /** What the owner sees that a refused call could change (not the instance's progress). */
  @Override
  public String state() {
    JsonPath instances = as(owner).get("/api/v1/organizations/" + org + "/instances").jsonPath();
    JsonPath hooks = as(owner).get("/api/v1/organizations/" + org + "/webhooks").jsonPath();
    return instances.getList("items.slug")
        + " "
        + instances.getList("items.displayName")
        + " "
        + instances.getList("items.desiredState")
        + " "
        + instances.getList("items.deletionScheduledAt")
        + " "
        + hooks.getList("id")
        + hooks.getList("items.id");
  }
}
