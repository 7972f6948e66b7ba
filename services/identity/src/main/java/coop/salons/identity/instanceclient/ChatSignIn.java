package coop.salons.identity.instanceclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.common.api.ProblemException;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The organisation gate of a Mattermost instance signing its members in through the realm (modes
 * {@code openid} and {@code gitlab}; docs/adr/0030). Mattermost has no setting that admits only
 * some of a provider's users, so what it reads as "the user" comes from here: the realm's userinfo
 * for the token it holds, given only when that token was issued to this instance's client and its
 * user is a member of the instance's organisation (an automation account never), and without the
 * email unless the realm verified it. Its discovery document is the realm's with this userinfo.
 */
@ApplicationScoped
public class ChatSignIn {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DISCOVERY_KEPT = Duration.ofMinutes(5);

  @Inject InstanceClientService clients;

  @ConfigProperty(name = "quarkus.oidc.auth-server-url")
  String realmUrl;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private volatile ObjectNode discovery;
  private volatile Instant discoveryRead = Instant.EPOCH;

  /** The realm's discovery document, its userinfo endpoint the gate's. */
  public ObjectNode discovery(UUID instance, String userinfoUrl) {
    if (clients.organizationOf(instance).isEmpty()) {
      throw ProblemException.notFound("No chat instance " + instance + " signs in here.");
    }
    ObjectNode document = realmDiscovery().deepCopy();
    document.put("userinfo_endpoint", userinfoUrl);
    return document;
  }

  private ObjectNode realmDiscovery() {
    ObjectNode kept = discovery;
    if (kept != null && discoveryRead.plus(DISCOVERY_KEPT).isAfter(Instant.now())) {
      return kept;
    }
    HttpResponse<String> answer = send(realm("/.well-known/openid-configuration"), null);
    if (answer.statusCode() != 200) {
      throw unavailable("The realm's discovery document is not available.");
    }
    try {
      ObjectNode read = (ObjectNode) JSON.readTree(answer.body());
      discovery = read;
      discoveryRead = Instant.now();
      return read;
    } catch (IOException | ClassCastException e) {
      throw unavailable("The realm's discovery document could not be read.");
    }
  }

  /**
   * The user the token names, as the realm's userinfo gives them, if {@code azp} is the instance's
   * own client and the user a member of its organisation.
   *
   * @throws ProblemException 401 when the token is not this instance's or the realm no longer
   *     honours it, 403 when its user is not a member, 404 for an instance no longer signing in
   *     here
   */
  public ObjectNode userinfo(UUID instance, String authorizedParty, String bearer) {
    if (!InstanceClientService.clientId(instance).equals(authorizedParty)) {
      throw unauthorized("The token was not issued to this chat instance.");
    }
    String organization =
        clients
            .organizationOf(instance)
            .orElseThrow(
                () ->
                    ProblemException.notFound("No chat instance " + instance + " signs in here."));
    HttpResponse<String> answer = send(realm("/protocol/openid-connect/userinfo"), bearer);
    if (answer.statusCode() == 401 || answer.statusCode() == 403) {
      throw unauthorized("The realm no longer honours this token.");
    }
    if (answer.statusCode() != 200) {
      throw unavailable("The realm's userinfo is not available.");
    }
    ObjectNode user;
    try {
      user = (ObjectNode) JSON.readTree(answer.body());
    } catch (IOException | ClassCastException e) {
      throw unavailable("The realm's userinfo could not be read.");
    }
    String subject = user.path("sub").asText("");
    if (!member(organization, subject)) {
      throw new ProblemException(
          403,
          "not-a-member",
          "Not a member",
          "Only members of " + organization + " sign in to its chat.",
          List.of());
    }
    JsonNode verified = user.get("email_verified");
    if (verified == null || !verified.asBoolean(false)) {
      user.remove("email");
    }
    return user;
  }

  private static boolean member(String organization, String userId) {
    return QuarkusTransaction.joiningExisting()
        .call(
            () -> {
              Organization org = Organization.bySlug(organization);
              if (org == null || userId.isEmpty()) {
                return false;
              }
              Membership m = Membership.find(org.id, userId);
              return m != null && !m.automation;
            });
  }

  private URI realm(String path) {
    String base = realmUrl.endsWith("/") ? realmUrl.substring(0, realmUrl.length() - 1) : realmUrl;
    return URI.create(base + path);
  }

  private HttpResponse<String> send(URI uri, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable("The realm does not answer.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("Interrupted while asking the realm.");
    }
  }

  private static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "unauthorized", "Unauthorized", detail, List.of());
  }

  private static ProblemException unavailable(String detail) {
    return ProblemException.unavailable("realm-unavailable", "The realm is unavailable", detail);
  }
}
