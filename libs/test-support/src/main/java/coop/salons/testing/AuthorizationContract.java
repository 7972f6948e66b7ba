package coop.salons.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The authorization contract of a service, read from its own OpenAPI: every operation the document
 * lists must be declared here with who may call it, or the test fails naming it (a new endpoint
 * cannot slip through). Each declared operation is then called as every kind of stranger, and each
 * must be refused with a status the operation documents, and change nothing:
 *
 * <ul>
 *   <li>no token: 401;
 *   <li>a valid token of the realm meant for another audience (as a chat instance's client gets),
 *       even the organisation owner's: 401;
 *   <li>a member of another organisation: 404 (docs/adr/0006);
 *   <li>a member whose role is too low: 403;
 *   <li>a person calling an operation for service accounts or the hoster's staff: 403.
 * </ul>
 *
 * <ul>
 *   <li>a revoked automation client of the organisation (its token still signed and unexpired): 404
 *       on the organisation's operations, 403 on the service accounts' and staff's.
 * </ul>
 */
public final class AuthorizationContract {

  /** Who may call an operation. */
  public enum Caller {
    /** Anyone, without a token (documents, public lists). */
    PUBLIC,
    /** Anyone signed in (creating an organisation, one's own profile). */
    SIGNED_IN,
    MEMBER,
    ADMIN,
    OWNER,
    /** The platform's service accounts only. */
    SERVICE,
    /** The hoster's staff only (realm role). */
    STAFF,
    /**
     * A chat instance's own tokens only (the Mattermost sign-in gate, docs/adr/0030): any token of
     * the platform's API is refused as not issued to that instance (401).
     */
    CHAT_INSTANCE
  }

  /** Who calls as whom: the tokens of the fixture's people. */
  public record People(
      String owner,
      String admin,
      String member,
      String outsider,
      String ownerOtherAudience,
      String revokedAutomation) {

    /** Without a revoked automation client's token (the reads' side needs none). */
    public People(
        String owner, String admin, String member, String outsider, String ownerOtherAudience) {
      this(owner, admin, member, outsider, ownerOtherAudience, null);
    }
  }

  /** One operation: its method and path as the OpenAPI names them, how to call it, who may. */
  public record Operation(
      String method, String template, Map<String, String> path, Object body, Caller caller) {

    String key() {
      return method.toUpperCase(Locale.ROOT) + " " + template;
    }

    String url() {
      String url = template;
      for (Map.Entry<String, String> e : path.entrySet()) {
        url = url.replace("{" + e.getKey() + "}", e.getValue());
      }
      if (url.contains("{")) {
        throw new IllegalArgumentException(key() + ": a path parameter has no value: " + url);
      }
      return url;
    }

    Response call(String token) {
      RequestSpecification r = given().contentType("application/json");
      if (token != null) {
        r = r.auth().oauth2(token);
      }
      if (body != null) {
        r = r.body(body);
      }
      return r.request(method.toUpperCase(Locale.ROOT), url());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private final Map<String, String> exempt = new LinkedHashMap<>();

  public AuthorizationContract operation(
      String method, String template, Map<String, String> path, Object body, Caller caller) {
    Operation o = new Operation(method, template, path, body, caller);
    if (operations.put(o.key(), o) != null) {
      throw new IllegalArgumentException(o.key() + " is declared twice");
    }
    return this;
  }

  /** An operation left out of the contract, with the reason (a public document, say). */
  public AuthorizationContract exempt(String method, String template, String reason) {
    exempt.put(method.toUpperCase(Locale.ROOT) + " " + template, reason);
    return this;
  }

  /** The service's operations, {@code METHOD /path}, with their documented statuses. */
  public static Map<String, Set<Integer>> documented() {
    try {
      JsonNode doc = JSON.readTree(given().get("/q/openapi?format=json").asString());
      Map<String, Set<Integer>> found = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
          paths.hasNext(); ) {
        Map.Entry<String, JsonNode> p = paths.next();
        for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
          Map.Entry<String, JsonNode> op = ops.next();
          if (!Set.of("get", "put", "post", "patch", "delete").contains(op.getKey())) {
            continue;
          }
          Set<Integer> statuses = new TreeSet<>();
          op.getValue().path("responses").fieldNames().forEachRemaining(s -> statuses.add(code(s)));
          found.put(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), statuses);
        }
      }
      return found;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the service's OpenAPI is not JSON", e);
    }
  }

  private static int code(String status) {
    return "default".equals(status) ? -1 : Integer.parseInt(status);
  }

  /** Fails naming every operation of the OpenAPI that is neither declared nor exempt. */
  public void assertCovers(Map<String, Set<Integer>> documented) {
    List<String> missing = new ArrayList<>();
    for (String key : documented.keySet()) {
      if (!operations.containsKey(key) && !exempt.containsKey(key)) {
        missing.add(key);
      }
    }
    List<String> stale = new ArrayList<>();
    for (String key : operations.keySet()) {
      if (!documented.containsKey(key)) {
        stale.add(key);
      }
    }
    assertTrue(
        missing.isEmpty() && stale.isEmpty(),
        "operations of the OpenAPI without an authorization case: "
            + missing
            + "; cases for operations the OpenAPI does not list: "
            + stale);
  }

  /**
   * Calls every declared operation as every kind of stranger; each refusal must be the expected
   * status, documented by the operation, and leave {@code state} as it was.
   */
  public void assertRefusals(
      Map<String, Set<Integer>> documented, People people, Supplier<String> state) {
    String before = state.get();
    List<String> wrong = new ArrayList<>();
    for (Operation o : operations.values()) {
      for (Map.Entry<String, Integer> attempt : attempts(o.caller(), people).entrySet()) {
        String who = attempt.getKey();
        int expected = attempt.getValue();
        String token = tokenOf(who, people);
        Response answer = o.call(token);
        int got = answer.statusCode();
        if (got != expected) {
          wrong.add(o.key() + " as " + who + ": " + got + " instead of " + expected);
        } else if (!documented.getOrDefault(o.key(), Set.of()).contains(expected)) {
          wrong.add(o.key() + " answers " + expected + " to " + who + " but does not document it");
        } else if (!String.valueOf(answer.contentType()).startsWith("application/problem+json")) {
          wrong.add(o.key() + " refuses " + who + " without a problem document");
        }
      }
      if (o.caller() == Caller.PUBLIC) {
        int got = o.call(null).statusCode();
        if (got == 401 || got == 403) {
          wrong.add(o.key() + " is public but refuses an anonymous caller: " + got);
        } else if (!documented.getOrDefault(o.key(), Set.of()).contains(got)) {
          wrong.add(o.key() + " answers " + got + " anonymously but does not document it");
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    assertEquals(before, state.get(), "a refused call changed something");
  }

  /**
   * The other side: each read ({@code GET}) answers the least role it needs with a success where it
   * names only the organisation, and never with a refusal (401, 403) elsewhere (an object the case
   * names may not exist: 404 is then its answer), so that a contract refusing everyone fails.
   */
  public void assertReadsLetIn(People people) {
    List<String> wrong = new ArrayList<>();
    for (Operation o : operations.values()) {
      String token =
          switch (o.caller()) {
            case SIGNED_IN, MEMBER -> people.member();
            case ADMIN -> people.admin();
            case OWNER -> people.owner();
            case PUBLIC, SERVICE, STAFF, CHAT_INSTANCE -> ""; // see assertRefusals
          };
      if (!"GET".equals(o.method().toUpperCase(Locale.ROOT)) || "".equals(token)) {
        continue;
      }
      int got = o.call(token).statusCode();
      boolean ownOnly = o.path().keySet().stream().allMatch("org"::equals);
      if (got == 401 || got == 403 || (ownOnly && (got < 200 || got > 299))) {
        wrong.add(o.key() + " as " + o.caller() + ": " + got);
      }
    }
    assertTrue(wrong.isEmpty(), "refused to those it is for: " + wrong);
  }

  /** The callers that must be refused, with the status each gets. */
  static Map<String, Integer> attempts(Caller caller, People people) {
    Map<String, Integer> a = new LinkedHashMap<>();
    if (caller == Caller.PUBLIC) {
      return a;
    }
    a.put("nobody", 401);
    a.put("the owner with a token for another audience", 401);
    switch (caller) {
      case MEMBER -> a.put("an outsider", 404);
      case ADMIN -> {
        a.put("an outsider", 404);
        a.put("a member", 403);
      }
      case OWNER -> {
        a.put("an outsider", 404);
        a.put("a member", 403);
        a.put("an admin", 403);
      }
      case SERVICE, STAFF -> a.put("the owner", 403);
      case CHAT_INSTANCE -> {
        a.put("an outsider", 401);
        a.put("the owner", 401);
      }
      default -> {}
    }
    if (people.revokedAutomation() != null) {
      switch (caller) {
        case MEMBER, ADMIN, OWNER -> a.put("a revoked automation client", 404);
        case SERVICE, STAFF -> a.put("a revoked automation client", 403);
        case CHAT_INSTANCE -> a.put("a revoked automation client", 401);
        default -> {} // signed-in operations: its token names no organisation any more
      }
    }
    return a;
  }

  private static String tokenOf(String who, People people) {
    return switch (who) {
      case "nobody" -> null;
      case "the owner with a token for another audience" -> people.ownerOtherAudience();
      case "an outsider" -> people.outsider();
      case "a member" -> people.member();
      case "an admin" -> people.admin();
      case "the owner" -> people.owner();
      case "a revoked automation client" -> people.revokedAutomation();
      default -> throw new IllegalArgumentException(who);
    };
  }
}
