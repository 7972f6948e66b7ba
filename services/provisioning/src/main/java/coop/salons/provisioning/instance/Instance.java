package coop.salons.provisioning.instance;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A chat instance's desired state and where its lifecycle stands; never serialized to the API. */
@Entity
public class Instance extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "organization_slug", nullable = false, length = 40)
  public String organizationSlug;

  @Column(nullable = false, length = 40)
  public String slug;

  @Column(name = "display_name", nullable = false, length = 100)
  public String displayName;

  @Column(nullable = false, length = 20)
  public String flavour;

  @Column(nullable = false, length = 40)
  public String plan;

  @Column(name = "chat_version", nullable = false, length = 40)
  public String chatVersion;

  @Column(name = "custom_domain", length = 253)
  public String customDomain;

  @Column(nullable = false, length = 20)
  public String federation;

  @Column(name = "retention_days", nullable = false)
  public int retentionDays;

  /** Uploaded files not read for this many days are removed (0: kept). */
  @Column(name = "media_retention_days", nullable = false)
  public int mediaRetentionDays;

  @Column(name = "login_mode", nullable = false, length = 20)
  public String loginMode;

  /**
   * Matrix: members sign in through the Matrix Authentication Service beside the server, not
   * Synapse's own single sign-on (docs/adr/0038); set at creation, by the hoster's setting.
   */
  @Column(name = "auth_service", nullable = false)
  public boolean authService;

  /** What the owners want: {@code running}, {@code suspended} or {@code deleted}. */
  @Column(nullable = false, length = 20)
  public String desired;

  @Column(nullable = false, length = 30)
  public String state;

  /** Bumped by every change of the desired state. */
  @Column(nullable = false)
  public long generation;

  /** The generation whose objects the runtime has applied (it may not answer yet). */
  @Column(name = "applied_generation", nullable = false)
  public long appliedGeneration;

  /** The generation the supervisor last converged. */
  @Column(name = "observed_generation", nullable = false)
  public long observedGeneration;

  @Column(length = 300)
  public String url;

  /** Why the instance is not ready (the last failure or what it waits for). */
  @Column(length = 1000)
  public String reason;

  @Column(nullable = false)
  public int attempts;

  @Column(name = "next_attempt_at", nullable = false)
  public OffsetDateTime nextAttemptAt;

  @Column(name = "lease_owner", length = 100)
  public String leaseOwner;

  @Column(name = "lease_until")
  public OffsetDateTime leaseUntil;

  @Column(name = "deletion_due_at")
  public OffsetDateTime deletionDueAt;

  @Column(name = "last_transition_at", nullable = false)
  public OffsetDateTime lastTransitionAt;

  @Column(name = "local_port")
  public Integer localPort;

  /** The federation list the last applied configuration of this Matrix server names. */
  @Column(name = "federation_applied", columnDefinition = "text")
  public String federationApplied;

  /**
   * The federation list this Matrix server answers with (names joined by commas), once it is up
   * after the pass that applied it; null before.
   */
  @Column(name = "federation_serving", columnDefinition = "text")
  public String federationServing;

  /** Whether the custom domain led to the platform when last looked up (null: not yet). */
  @Column(name = "domain_pointed")
  public Boolean domainPointed;

  /** When {@link #domainPointed} last changed. */
  @Column(name = "domain_changed_at")
  public OffsetDateTime domainChangedAt;

  /**
   * The value the custom domain's TXT record {@code _salons-proof.<domain>} must hold for the
   * domain to count (docs/adr/0028); generated with the domain.
   */
  @Column(name = "domain_proof", length = 64)
  public String domainProof;

  /** When DNS first showed the proof; null while the domain is not proven. */
  @Column(name = "domain_proven_at")
  public OffsetDateTime domainProvenAt;

  /** The name of the TXT record that proves the custom domain. */
  public String domainProofRecord() {
    return customDomain == null ? null : "_salons-proof." + customDomain;
  }

  /** The text the TXT record must hold. */
  public String domainProofValue() {
    return domainProof == null ? null : "salons-proof=" + domainProof;
  }

  /**
   * Whether the instance's host enters routing, certificates and federation lists: its own name
   * under the platform's domain always; a custom domain once proven.
   */
  public boolean hostProven() {
    return customDomain == null || domainProvenAt != null;
  }

  /** When the custom domain was last looked up (what the next look-up is planned from). */
  @Column(name = "domain_checked_at")
  public OffsetDateTime domainCheckedAt;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  @Version public long version;

  public InstanceState state() {
    return InstanceState.of(state);
  }

  /** Moves to a state the state machine allows; the transition time changes only on a change. */
  public void moveTo(InstanceState next, OffsetDateTime now) {
    InstanceState current = state();
    if (current == next) {
      return;
    }
    current.requireCanMoveTo(next);
    state = next.id();
    lastTransitionAt = now;
  }

  /** The instance's state as its organisation's webhooks are told it. */
  public coop.salons.provisioning.webhook.Webhooks.StateChange stateChange() {
    return new coop.salons.provisioning.webhook.Webhooks.StateChange(
        organizationSlug, slug, id, state, generation, url);
  }

  /**
   * The instance's name under the platform's domain, which the operator's wildcard record points at
   * the ingress controller: the target of the CNAME record that brings a custom domain to it.
   */
  public String platformHost(String baseDomain) {
    return slug + "." + organizationSlug + "." + baseDomain;
  }
}
