package coop.salons.identity.instanceclient;

import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import coop.salons.identity.instanceclient.InstanceClientDtos.InstanceClientSecret;
import coop.salons.identity.instanceclient.InstanceClientDtos.InstanceClientSpec;
import coop.salons.identity.instanceclient.InstanceClientDtos.InstanceClientView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientsResource;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * One confidential OIDC client per chat instance, with exactly that instance's redirect URIs. Its
 * secret is generated here at creation (by Keycloak at rotation), kept by Keycloak, and handed to
 * the provisioning service at creation and at rotation only. A new client is made in one request to
 * Keycloak, its secret and mappers included; an existing one is read, updated and its mappers
 * brought to the spec.
 */
@ApplicationScoped
public class InstanceClientService {

  @Inject Keycloak keycloak;
  @Inject IdentityConfig config;
  @Inject GitLabShape gitlab;

  /** What {@link #put} did. */
  public record Put(InstanceClientView client, String secretIfCreated) {}

  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  static String clientId(UUID instanceId) {
    return "instance-" + instanceId;
  }

  private ClientsResource clients() {
    return keycloak.realm(config.realm()).clients();
  }

  private Optional<ClientRepresentation> find(UUID instanceId) {
    return clients().findByClientId(clientId(instanceId)).stream().findFirst();
  }

  /** Creates the client, or brings an existing one to the spec (its secret unchanged). */
  public Put put(UUID instanceId, InstanceClientSpec spec) {
    Optional<ClientRepresentation> existing = find(instanceId);
    ClientRepresentation rep = existing.orElseGet(ClientRepresentation::new);
    rep.setClientId(clientId(instanceId));
    rep.setName(spec.flavour() + " of " + spec.organization());
    rep.setProtocol("openid-connect");
    rep.setEnabled(true);
    rep.setPublicClient(false);
    rep.setClientAuthenticatorType("client-secret");
    rep.setStandardFlowEnabled(true);
    rep.setDirectAccessGrantsEnabled(false);
    rep.setServiceAccountsEnabled(false);
    rep.setImplicitFlowEnabled(false);
    rep.setRedirectUris(List.copyOf(spec.redirectUris()));
    rep.setWebOrigins(List.of());
    Map<String, String> attributes =
        rep.getAttributes() == null ? new HashMap<>() : new HashMap<>(rep.getAttributes());
    attributes.put("salons.organization", spec.organization());
    attributes.put("salons.instance", instanceId.toString());
    attributes.put("salons.flavour", spec.flavour());
    attributes.put("salons.login", spec.gitlab() ? "gitlab" : "openid");
    if (spec.backchannelLogoutUrl() != null) {
      attributes.put("backchannel.logout.url", spec.backchannelLogoutUrl());
      attributes.put("backchannel.logout.session.required", "true");
    }
    rep.setAttributes(attributes);
    gitlab.record(instanceId, spec.organization(), spec.gitlab());
    if (spec.gitlab()) {
      gitlab.numberMembers(spec.organization());
    }
    if (existing.isPresent()) {
      clients().get(rep.getId()).update(rep);
      gitlab.applyMappers(clients().get(rep.getId()).getProtocolMappers(), spec.gitlab());
      return new Put(view(instanceId, rep), null);
    }
    // Created whole in one request: its secret and its mappers with it (nothing to read back).
    String secret = newSecret();
    rep.setSecret(secret);
    rep.setProtocolMappers(spec.gitlab() ? GitLabShape.mappers() : null);
    try (Response r = clients().create(rep)) {
      if (r.getStatus() == 409) {
        // Created meanwhile by a retry: bring it to the spec, keep its secret.
        return put(instanceId, spec);
      }
      if (r.getStatus() != 201) {
        throw new IllegalStateException("Keycloak refused the client: HTTP " + r.getStatus());
      }
    }
    return new Put(view(instanceId, rep), secret);
  }

  /** 32 letters and digits (190 bits), as Keycloak makes its own. */
  static String newSecret() {
    char[] secret = new char[32];
    for (int n = 0; n < secret.length; n++) {
      secret[n] = SECRET_ALPHABET.charAt(RANDOM.nextInt(SECRET_ALPHABET.length()));
    }
    return new String(secret);
  }

  public InstanceClientView get(UUID instanceId) {
    return find(instanceId)
        .map(c -> view(instanceId, c))
        .orElseThrow(() -> ProblemException.notFound("No client for instance " + instanceId + "."));
  }

  /**
   * The organisation of a Mattermost instance whose members sign in through the realm ({@code
   * openid} or {@code gitlab} login): the only clients {@link ChatSignIn} answers for.
   */
  public Optional<String> organizationOf(UUID instanceId) {
    return find(instanceId)
        .map(ClientRepresentation::getAttributes)
        .filter(a -> "mattermost".equals(a.get("salons.flavour")))
        .map(a -> a.get("salons.organization"));
  }

  public InstanceClientSecret rotate(UUID instanceId) {
    ClientRepresentation c =
        find(instanceId)
            .orElseThrow(
                () -> ProblemException.notFound("No client for instance " + instanceId + "."));
    String secret = clients().get(c.getId()).generateNewSecret().getValue();
    return new InstanceClientSecret(instanceId.toString(), c.getClientId(), secret);
  }

  /** Deletes the client; deleting one that is gone is not an error. */
  public void delete(UUID instanceId) {
    find(instanceId).ifPresent(c -> clients().get(c.getId()).remove());
    QuarkusTransaction.requiringNew().run(() -> gitlab.forget(instanceId));
  }

  private static InstanceClientView view(UUID instanceId, ClientRepresentation c) {
    String org = c.getAttributes() == null ? null : c.getAttributes().get("salons.organization");
    return new InstanceClientView(instanceId.toString(), c.getClientId(), org, c.getRedirectUris());
  }
}
