package coop.salons.provisioning.commons;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import coop.salons.provisioning.instance.InstanceState;
import coop.salons.provisioning.model.Commons;
import coop.salons.provisioning.runtime.ChatRuntime;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The commons server as an instance of the reserved organisation {@value Commons#ORGANIZATION}:
 * asked for at start when there is none, then provisioned by the same supervisor as every other
 * instance (secrets, database, OIDC client, apply, readiness). It federates with every platform
 * Matrix server, and only with them (platform-only, with the live list: ADR 21).
 */
@ApplicationScoped
public class CommonsServer {

  @Inject ProvisioningConfig config;
  @Inject EntityManager em;
  @Inject ChatRuntime runtime;

  void onStart(@Observes @Priority(10) StartupEvent start) {
    if (config.commons().enabled()) {
      QuarkusTransaction.requiringNew().run(this::ensure);
    }
  }

  /** Asks for the commons server if no live one exists (one replica at a time). */
  public void ensure() {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('commons-server'))")
        .getSingleResult();
    if (find().isPresent()) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.now();
    Instance i = new Instance();
    i.id = UUID.randomUUID();
    i.organizationSlug = Commons.ORGANIZATION;
    i.slug = Commons.SLUG;
    i.displayName = "Salons commons";
    i.flavour = "matrix";
    i.plan = config.commons().plan();
    i.chatVersion = config.images().synapseVersion();
    i.federation = "platform-only";
    i.retentionDays = config.commons().retentionDays();
    i.loginMode = "openid";
    i.desired = "running";
    i.state = InstanceState.REQUESTED.id();
    i.generation = 1;
    i.nextAttemptAt = now;
    i.lastTransitionAt = now;
    i.createdAt = now;
    i.updatedAt = now;
    i.persist();
    Log.infof("The commons server is asked for (instance %s)", i.id);
  }

  /** The live commons server, if there is one. */
  public Optional<Instance> find() {
    return Instance.<Instance>find(
            "organizationSlug = ?1 and slug = ?2 and state <> 'deleted'",
            Commons.ORGANIZATION,
            Commons.SLUG)
        .firstResultOptional();
  }

  /** Whether an instance is the commons server. */
  public static boolean is(Instance i) {
    return Commons.ORGANIZATION.equals(i.organizationSlug) && Commons.SLUG.equals(i.slug);
  }

  /** The commons server's Matrix name, once it has a place (locally: a port). */
  public Optional<String> serverName(Instance i) {
    return Optional.ofNullable(
        runtime.serverName(InstanceService.host(i, config.baseDomain()), i.localPort));
  }
}
