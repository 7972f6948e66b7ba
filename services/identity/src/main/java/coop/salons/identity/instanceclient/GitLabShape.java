package coop.salons.identity.instanceclient;

import coop.salons.common.db.SingleReplica;
import coop.salons.identity.IdentityConfig;
import coop.salons.identity.keycloak.KeycloakDirectory;
import coop.salons.identity.keycloak.RealmSettings;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.WebApplicationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ProtocolMappersResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Mattermost's GitLab login (the {@code gitlab} mode, Mattermost ≤ 10.11) reads a GitLab user from
 * the userinfo endpoint: {@code id} as a number, {@code username}, {@code email}, {@code name}.
 * Keycloak users have UUIDs, so each member gets a number, stored in the user attribute {@code
 * salonsNumber} (declared in the realm's user profile, see {@code RealmSettings}) and mapped to
 * {@code id}.
 *
 * <p>The number is derived from the user's id (53 bits of it, so that JSON readers keep it exact):
 * writing it twice gives the same value, and no counter has to be shared. Members are numbered when
 * a GitLab-mode client is made, and every minute for the organisations that have one (table {@code
 * gitlab_login}: Keycloak does not search clients by arbitrary attributes).
 */
@ApplicationScoped
public class GitLabShape {

  static final String ATTRIBUTE = RealmSettings.MEMBER_NUMBER;
  static final String MAPPER_PREFIX = "gitlab-";

  @Inject SingleReplica singleReplica;
  @Inject Keycloak keycloak;
  @Inject IdentityConfig config;
  @Inject EntityManager em;

  /** Users numbered since this process started: they are not read again. */
  private final Set<String> numbered = ConcurrentHashMap.newKeySet();

  private RealmResource realm() {
    return keycloak.realm(config.realm());
  }

  /** A member's GitLab-shaped id: positive, below 2^53, the same for a user id every time. */
  public static long numberOf(String userId) {
    UUID u = UUID.fromString(userId);
    long n = (u.getMostSignificantBits() ^ u.getLeastSignificantBits()) & ((1L << 53) - 1);
    return n == 0 ? 1 : n;
  }

  /** The protocol mappers of a GitLab-mode client, by name. */
  static List<ProtocolMapperRepresentation> mappers() {
    return List.of(
        mapper(
            "id",
            "oidc-usermodel-attribute-mapper",
            Map.of("user.attribute", ATTRIBUTE, "claim.name", "id", "jsonType.label", "long")),
        mapper(
            "username",
            "oidc-usermodel-property-mapper",
            Map.of(
                "user.attribute",
                "username",
                "claim.name",
                "username",
                "jsonType.label",
                "String")),
        mapper(
            "email",
            "oidc-usermodel-property-mapper",
            Map.of("user.attribute", "email", "claim.name", "email", "jsonType.label", "String")),
        mapper("name", "oidc-full-name-mapper", Map.of()));
  }

  private static ProtocolMapperRepresentation mapper(
      String claim, String type, Map<String, String> settings) {
    ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
    m.setName(MAPPER_PREFIX + claim);
    m.setProtocol("openid-connect");
    m.setProtocolMapper(type);
    Map<String, String> c = new HashMap<>(settings);
    c.put("userinfo.token.claim", "true");
    c.put("id.token.claim", "false");
    c.put("access.token.claim", "false");
    c.put("introspection.token.claim", "false");
    m.setConfig(c);
    return m;
  }

  /** Brings the client's GitLab mappers to what the mode asks: all of them, or none. */
  void applyMappers(ProtocolMappersResource resource, boolean gitlab) {
    Map<String, ProtocolMapperRepresentation> present = new HashMap<>();
    for (ProtocolMapperRepresentation m : resource.getMappers()) {
      if (m.getName().startsWith(MAPPER_PREFIX)) {
        present.put(m.getName(), m);
      }
    }
    for (ProtocolMapperRepresentation wanted :
        gitlab ? mappers() : List.<ProtocolMapperRepresentation>of()) {
      ProtocolMapperRepresentation have = present.remove(wanted.getName());
      if (have == null) {
        resource.createMapper(wanted).close();
      } else if (!wanted.getConfig().equals(have.getConfig())
          || !wanted.getProtocolMapper().equals(have.getProtocolMapper())) {
        wanted.setId(have.getId());
        resource.update(have.getId(), wanted);
      }
    }
    present.values().forEach(m -> resource.delete(m.getId()));
  }

  /** Numbers every member of the organisation who has no number yet. */
  public void numberMembers(String organization) {
    List<String> userIds =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Organization o = Organization.bySlug(organization);
                  return o == null
                      ? List.<String>of()
                      : Membership.<Membership>list(
                              "id.organizationId = ?1 and automation = false", o.id)
                          .stream()
                          .map(m -> m.id.userId())
                          .toList();
                });
    userIds.stream().filter(id -> !numbered.contains(id)).forEach(this::number);
  }

  private void number(String userId) {
    String value = Long.toString(numberOf(userId));
    try {
      var user = realm().users().get(userId);
      UserRepresentation rep = user.toRepresentation();
      Map<String, List<String>> attributes =
          rep.getAttributes() == null ? new HashMap<>() : new HashMap<>(rep.getAttributes());
      if (!List.of(value).equals(attributes.get(ATTRIBUTE))) {
        attributes.put(ATTRIBUTE, List.of(value));
        rep.setAttributes(attributes);
        user.update(rep);
      }
      numbered.add(userId);
    } catch (WebApplicationException e) {
      KeycloakDirectory.rethrowUnlessNotFound(e); // the user left the realm
    }
  }

  /** Records whether an instance's client is in GitLab mode. */
  void record(UUID instanceId, String organization, boolean gitlab) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (gitlab) {
                em.createNativeQuery(
                        "INSERT INTO gitlab_login (instance_id, organization_slug) VALUES (?1, ?2)"
                            + " ON CONFLICT (instance_id) DO UPDATE SET organization_slug ="
                            + " EXCLUDED.organization_slug")
                    .setParameter(1, instanceId)
                    .setParameter(2, organization)
                    .executeUpdate();
              } else {
                forget(instanceId);
              }
            });
  }

  /** The instance's client is gone. */
  void forget(UUID instanceId) {
    QuarkusTransaction.joiningExisting()
        .run(
            () ->
                em.createNativeQuery("DELETE FROM gitlab_login WHERE instance_id = ?1")
                    .setParameter(1, instanceId)
                    .executeUpdate());
  }

  /** Members who joined since: numbered within a minute. */
  @Scheduled(
      every = "1m",
      delayed = "20s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void numberNewMembers() {
    singleReplica.run("identity gitlab numbering", this::numberAllNewMembers);
  }

  private void numberAllNewMembers() {
    try {
      List<String> organizations =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      em.createNativeQuery(
                              "SELECT DISTINCT organization_slug FROM gitlab_login", String.class)
                          .getResultList());
      organizations.forEach(this::numberMembers);
    } catch (RuntimeException e) {
      Log.warnf("Could not number the members of GitLab-mode organisations: %s", e.getMessage());
    }
  }
}
