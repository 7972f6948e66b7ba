package coop.salons.identity.provider;

import coop.salons.common.api.Domains;
import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import coop.salons.identity.access.OrganizationAccess;
import coop.salons.identity.keycloak.KeycloakDirectory;
import coop.salons.identity.model.Organization;
import coop.salons.identity.model.Role;
import coop.salons.identity.provider.ProviderDtos.AddProvider;
import coop.salons.identity.provider.ProviderDtos.ProviderView;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.OrganizationResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.OrganizationDomainRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;

/**
 * An organisation's own identity providers (Keycloak identity brokering, linked to the Keycloak
 * organisation with its email domain): members whose address is in that domain are sent to their
 * own provider when they sign in. The client secret goes to Keycloak and never comes back out.
 *
 * <p>Each provider is a Keycloak identity provider with the alias {@code <org>-<name>}; Keycloak
 * keeps everything, identity keeps nothing of its own. A creation that fails half-way takes back
 * what it made (the provider, the domain it added).
 */
@ApplicationScoped
public class ProviderService {

  static final String DOMAIN_KEY = "kc.org.domain";
  static final String REDIRECT_WHEN_EMAIL_MATCHES = "kc.org.broker.redirect.mode.email-matches";
  static final String URL_KEY = "salons.url";

  /** The value the domain's TXT record must hold (docs/adr/0031); absent: linked before proofs. */
  static final String PROOF_KEY = "salons.domain-proof";

  /** When DNS first showed the proof. */
  static final String PROVEN_KEY = "salons.domain-proven-at";

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  @Inject Keycloak keycloak;
  @Inject IdentityConfig config;
  @Inject OrganizationAccess access;
  @Inject ProviderDocuments documents;
  @Inject ProviderDomainDns dns;

  @ConfigProperty(name = "quarkus.oidc.auth-server-url")
  String realmUrl;

  private RealmResource realm() {
    return keycloak.realm(config.realm());
  }

  static String alias(String org, String name) {
    return org + "-" + name;
  }

  /** The organisation's Keycloak id, once the caller's role is checked. */
  private String keycloakOrganization(String org, String userId, Role atLeast) {
    Organization o =
        QuarkusTransaction.requiringNew()
            .call(() -> access.require(org, userId, atLeast).organization());
    if (o.keycloakId == null || o.deletionScheduledAt != null) {
      throw new ProblemException(
          409,
          "organization-not-ready",
          "Organisation not ready",
          o.deletionScheduledAt != null
              ? "The organisation is scheduled for deletion."
              : "The organisation is still being set up; try again in a minute.",
          List.of());
    }
    return o.keycloakId;
  }

  public List<ProviderView> list(String org, String userId) {
    String id = keycloakOrganization(org, userId, Role.ADMIN);
    return realm().organizations().get(id).identityProviders().getIdentityProviders().stream()
        .filter(p -> p.getAlias().startsWith(org + "-"))
        .map(p -> view(org, p))
        .toList();
  }

  public ProviderView get(String org, String userId, String name) {
    String id = keycloakOrganization(org, userId, Role.ADMIN);
    return find(id, alias(org, name)).map(p -> view(org, p)).orElseThrow(() -> notFound(org, name));
  }

  public ProviderView add(String org, String userId, AddProvider request) {
    String id = keycloakOrganization(org, userId, Role.OWNER);
    String domain = request.domain();
    checkFields(request, domain);
    String alias = alias(org, request.name());
    if (exists(alias)) {
      throw taken(request.name());
    }
    Map<String, String> settings = read(request);

    OrganizationResource organization = realm().organizations().get(id);
    boolean domainAdded = addDomain(organization, domain);
    boolean created = false;
    try {
      IdentityProviderRepresentation rep = new IdentityProviderRepresentation();
      rep.setAlias(alias);
      rep.setProviderId(request.kind());
      rep.setDisplayName(request.displayName().strip());
      rep.setEnabled(true);
      // Shown to members whose email is in the domain, not on everyone's sign-in page.
      rep.setHideOnLogin(true);
      // The provider's word on an email address is not proof of it: Keycloak checks it.
      rep.setTrustEmail(false);
      Map<String, String> c = new HashMap<>(settings);
      c.put(
          URL_KEY, "oidc".equals(request.kind()) ? request.discoveryUrl() : request.metadataUrl());
      c.put(DOMAIN_KEY, domain);
      // Members are sent to the provider only once the organisation proved the domain is its own.
      byte[] proof = new byte[20];
      RANDOM.nextBytes(proof);
      c.put(PROOF_KEY, java.util.HexFormat.of().formatHex(proof));
      c.put(REDIRECT_WHEN_EMAIL_MATCHES, "false");
      if ("oidc".equals(request.kind())) {
        c.put("clientId", request.clientId());
        c.put("clientSecret", request.clientSecret());
        c.put("clientAuthMethod", "client_secret_post");
        c.put("defaultScope", "openid email profile");
        c.put("pkceEnabled", "true");
        c.put("pkceMethod", "S256");
        c.put("validateSignature", "true");
        c.put("useJwksUrl", "true");
        c.put("syncMode", "IMPORT");
      } else {
        c.put("entityId", realmUrl());
        c.put("syncMode", "IMPORT");
      }
      rep.setConfig(c);
      try (Response r = realm().identityProviders().create(rep)) {
        if (r.getStatus() == 409) {
          throw taken(request.name());
        }
        if (r.getStatus() != 201) {
          throw new IllegalStateException("Keycloak refused the provider: HTTP " + r.getStatus());
        }
      }
      created = true;
      try (Response r = organization.identityProviders().addIdentityProvider(alias)) {
        if (r.getStatus() >= 300) {
          throw new IllegalStateException(
              "Keycloak refused to link the provider: HTTP " + r.getStatus());
        }
      }
      Log.infof("Organisation %s: identity provider %s added for %s", org, alias, domain);
      return view(org, find(id, alias).orElseThrow());
    } catch (RuntimeException e) {
      if (created) {
        removeQuietly(alias);
      }
      if (domainAdded) {
        removeDomainQuietly(organization, domain);
      }
      throw e;
    }
  }

  /** Unlinks and removes the provider, and the domain when no other provider uses it. */
  public void delete(String org, String userId, String name) {
    String id = keycloakOrganization(org, userId, Role.OWNER);
    String alias = alias(org, name);
    IdentityProviderRepresentation p = find(id, alias).orElseThrow(() -> notFound(org, name));
    OrganizationResource organization = realm().organizations().get(id);
    try (Response r = organization.identityProviders().get(alias).delete()) {
      // 204, or 404 when a retry unlinked it already
    } catch (WebApplicationException e) {
      KeycloakDirectory.rethrowUnlessNotFound(e); // unlinked already by a retry
    }
    realm().identityProviders().get(alias).remove();
    String domain = p.getConfig() == null ? null : p.getConfig().get(DOMAIN_KEY);
    boolean stillUsed =
        organization.identityProviders().getIdentityProviders().stream()
            .anyMatch(
                o ->
                    o.getConfig() != null
                        && domain != null
                        && domain.equals(o.getConfig().get(DOMAIN_KEY)));
    if (domain != null && !stillUsed) {
      removeDomainQuietly(organization, domain);
    }
    Log.infof("Organisation %s: identity provider %s removed", org, alias);
  }

  private void checkFields(AddProvider r, String domain) {
    if ("oidc".equals(r.kind())) {
      if (r.discoveryUrl() == null) {
        throw ProblemException.invalid("discoveryUrl", "is needed for an OpenID Connect provider");
      }
      if (r.clientId() == null) {
        throw ProblemException.invalid("clientId", "is needed for an OpenID Connect provider");
      }
      if (r.clientSecret() == null) {
        throw ProblemException.invalid("clientSecret", "is needed for an OpenID Connect provider");
      }
    } else if (r.metadataUrl() == null) {
      throw ProblemException.invalid("metadataUrl", "is needed for a SAML provider");
    }
    Domains.notOwnable(domain.toLowerCase(Locale.ROOT))
        .ifPresent(
            why -> {
              throw ProblemException.invalid("domain", why);
            });
    if (config.sharedMailDomains().contains(domain.toLowerCase(Locale.ROOT))) {
      throw ProblemException.invalid(
          "domain", "is a shared mail provider's domain, which no single organisation owns");
    }
  }

  /** Checks the provider answers, then lets Keycloak read its settings from the same address. */
  private Map<String, String> read(AddProvider r) {
    boolean oidc = "oidc".equals(r.kind());
    String field = oidc ? "discoveryUrl" : "metadataUrl";
    String url = oidc ? r.discoveryUrl() : r.metadataUrl();
    if (oidc) {
      documents.checkDiscovery(field, url);
    } else {
      documents.checkMetadata(field, url);
    }
    try {
      Map<String, String> imported =
          realm()
              .identityProviders()
              .importFrom(Map.<String, Object>of("providerId", r.kind(), "fromUrl", url));
      return imported == null ? Map.of() : imported;
    } catch (WebApplicationException e) {
      throw ProviderDocuments.unusable(
          field, "Keycloak could not read it (HTTP " + e.getResponse().getStatus() + ")");
    }
  }

  private boolean addDomain(OrganizationResource organization, String domain) {
    OrganizationRepresentation rep = organization.toRepresentation();
    if (rep.getDomain(domain) != null) {
      return false;
    }
    rep.addDomain(new OrganizationDomainRepresentation(domain));
    try (Response r = organization.update(rep)) {
      if (r.getStatus() == 409 || r.getStatus() == 400) {
        throw new ProblemException(
            409,
            "domain-taken",
            "Domain taken",
            "The domain " + domain + " belongs to another organisation of the platform.",
            List.of());
      }
      if (r.getStatus() >= 300) {
        throw new IllegalStateException("Keycloak refused the domain: HTTP " + r.getStatus());
      }
    }
    return true;
  }

  private void removeDomainQuietly(OrganizationResource organization, String domain) {
    try {
      OrganizationRepresentation rep = organization.toRepresentation();
      OrganizationDomainRepresentation d = rep.getDomain(domain);
      if (d != null) {
        rep.removeDomain(d);
        organization.update(rep).close();
      }
    } catch (RuntimeException e) {
      Log.warnf("Could not take the domain %s back: %s", domain, e.getMessage());
    }
  }

  private void removeQuietly(String alias) {
    try {
      realm().identityProviders().get(alias).remove();
    } catch (RuntimeException e) {
      Log.warnf("Could not take the identity provider %s back: %s", alias, e.getMessage());
    }
  }

  private boolean exists(String alias) {
    try {
      realm().identityProviders().get(alias).toRepresentation();
      return true;
    } catch (WebApplicationException e) {
      KeycloakDirectory.rethrowUnlessNotFound(e);
      return false;
    }
  }

  private Optional<IdentityProviderRepresentation> find(String organizationId, String alias) {
    return realm()
        .organizations()
        .get(organizationId)
        .identityProviders()
        .getIdentityProviders()
        .stream()
        .filter(p -> alias.equals(p.getAlias()))
        .findFirst();
  }

  /** The realm's public address, as members' browsers and the providers see it. */
  private String realmUrl() {
    return realmUrl.replaceAll("/+$", "");
  }

  /**
   * Looks for the domain's proof in DNS now (the owner asks, or the periodic check): once it is
   * there, members of the domain are sent to the provider and the organisation's domain is marked
   * verified.
   */
  public ProviderView checkDomain(String org, String userId, String name) {
    String id = keycloakOrganization(org, userId, Role.OWNER);
    IdentityProviderRepresentation p =
        find(id, alias(org, name)).orElseThrow(() -> notFound(org, name));
    if (!proven(p)) {
      proveIfShown(id, p);
    }
    return view(org, find(id, alias(org, name)).orElseThrow(() -> notFound(org, name)));
  }

  /** Every provider waiting for its proof, checked: answers how many became proven. */
  public int checkWaitingDomains() {
    int proven = 0;
    for (int first = 0; ; first += PAGE) {
      List<IdentityProviderRepresentation> page =
          realm().identityProviders().find(null, false, first, PAGE);
      for (IdentityProviderRepresentation p : page) {
        Map<String, String> c = p.getConfig();
        if (c == null || c.get(PROOF_KEY) == null || proven(p)) {
          continue;
        }
        // The alias is <org>-<name>, and a name has no hyphen.
        String slug = p.getAlias().substring(0, Math.max(0, p.getAlias().lastIndexOf('-')));
        String organizationId =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> {
                      Organization o = Organization.bySlug(slug);
                      return o == null ? null : o.keycloakId;
                    });
        if (organizationId != null && proveIfShown(organizationId, p)) {
          proven++;
        }
      }
      if (page.size() < PAGE) {
        return proven;
      }
    }
  }

  private static final int PAGE = 100;

  static boolean proven(IdentityProviderRepresentation p) {
    Map<String, String> c = p.getConfig() == null ? Map.of() : p.getConfig();
    return c.get(PROOF_KEY) == null || c.get(PROVEN_KEY) != null;
  }

  private boolean proveIfShown(String organizationId, IdentityProviderRepresentation p) {
    Map<String, String> c = new HashMap<>(p.getConfig());
    String domain = c.get(DOMAIN_KEY);
    boolean shown;
    try {
      shown = dns.lookup().holdsText(proofRecord(domain), "salons-proof=" + c.get(PROOF_KEY));
    } catch (coop.salons.common.dns.DomainLookup.Failed e) {
      Log.infof("Provider %s: %s", p.getAlias(), e.getMessage());
      return false;
    }
    if (!shown) {
      return false;
    }
    c.put(PROVEN_KEY, java.time.OffsetDateTime.now().toString());
    c.put(REDIRECT_WHEN_EMAIL_MATCHES, "true");
    p.setConfig(c);
    realm().identityProviders().get(p.getAlias()).update(p);
    OrganizationResource organization = realm().organizations().get(organizationId);
    OrganizationRepresentation rep = organization.toRepresentation();
    OrganizationDomainRepresentation d = rep.getDomain(domain);
    if (d != null && !d.isVerified()) {
      d.setVerified(true);
      organization.update(rep).close();
    }
    Log.infof("Provider %s: the domain %s is proven", p.getAlias(), domain);
    return true;
  }

  static String proofRecord(String domain) {
    return "_salons-proof." + domain;
  }

  private ProviderView view(String org, IdentityProviderRepresentation p) {
    Map<String, String> c = p.getConfig() == null ? Map.of() : p.getConfig();
    boolean oidc = "oidc".equals(p.getProviderId());
    String endpoint = realmUrl() + "/broker/" + p.getAlias() + "/endpoint";
    String proof = c.get(PROOF_KEY);
    return new ProviderView(
        p.getAlias().substring(org.length() + 1),
        p.getProviderId(),
        p.getDisplayName(),
        c.get(DOMAIN_KEY),
        oidc ? c.get(URL_KEY) : null,
        oidc ? null : c.get(URL_KEY),
        oidc ? c.get("clientId") : null,
        oidc ? endpoint : null,
        oidc ? null : endpoint + "/descriptor",
        p.isEnabled(),
        proven(p),
        proof == null || proven(p)
            ? null
            : new ProviderDtos.DomainProof(
                proofRecord(c.get(DOMAIN_KEY)) + ".", "TXT", "salons-proof=" + proof));
  }

  private static ProblemException taken(String name) {
    return new ProblemException(
        409,
        "provider-exists",
        "Provider exists",
        "The organisation already has a provider named '" + name + "'.",
        List.of());
  }

  private static ProblemException notFound(String org, String name) {
    return ProblemException.notFound("No identity provider '" + name + "' in '" + org + "'.");
  }
}
