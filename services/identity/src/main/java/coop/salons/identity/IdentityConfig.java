package coop.salons.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The identity service's own settings ({@code salons.identity.*}). */
@ConfigMapping(prefix = "salons.identity")
public interface IdentityConfig {

  /** The Keycloak realm that holds the platform's users and organisations. */
  @WithDefault("salons")
  String realm();

  /**
   * How many organisations one person may own: beyond, creating another is refused (403
   * organization-limit). A ceiling on what one account can make the platform hold.
   */
  @WithDefault("10")
  int maxOrganizationsPerUser();

  /**
   * Where chat servers reach this service's API from outside (the chart: {@code
   * <publicUrl>/services/identity}); unset, the address a request came in by.
   */
  java.util.Optional<String> publicUrl();

  /** How organisations' email domains are proven (docs/adr/0031). */
  Domains domains();

  interface Domains {
    /** {@code host} or {@code host:port} of the DNS server asked; unset: this machine's. */
    java.util.Optional<String> dnsServer();

    /** How often domains waiting for their proof are looked up ({@code off}: only on request). */
    @WithDefault("5m")
    String checkEvery();
  }

  /** The largest page a list endpoint answers. */
  @WithDefault("100")
  int maxPageSize();

  /** How long a deleted organisation can still be restored before it is purged. */
  @WithDefault("P7D")
  java.time.Duration deletionGracePeriod();

  /**
   * How old an organisation whose Keycloak side is missing must be before the reconciler adds it.
   */
  @WithDefault("PT1M")
  java.time.Duration reconcileAfter();

  /**
   * Whether identity asks billing before it acts ({@code billing}): adding a member claims a slot
   * of the {@code members} quota, deleting an organisation needs its {@code instances} quota empty.
   * {@code off}: identity alone (its own tests), no quota and no instance check.
   */
  @WithDefault("billing")
  String quotas();

  /** How often members' claims in billing are brought in step with membership. */
  @WithDefault("10m")
  String quotaReconcileEvery();

  /**
   * Whether an organisation's identity provider may live on this machine or a private network
   * (loopback, site-local, link-local addresses). Off in production: the platform would otherwise
   * fetch internal addresses on an owner's behalf. On for development and tests.
   */
  @WithDefault("false")
  boolean providersAllowLocal();

  /**
   * Email domains shared by many people (webmail providers): no organisation may link its identity
   * provider to one, since everyone with such an address would be sent to it.
   */
  @WithDefault(
      "gmail.com,googlemail.com,outlook.com,hotmail.com,hotmail.fr,live.com,live.fr,msn.com,"
          + "yahoo.com,yahoo.fr,icloud.com,me.com,aol.com,gmx.com,gmx.fr,gmx.de,web.de,"
          + "proton.me,protonmail.com,tutanota.com,tuta.io,posteo.de,mailo.com,free.fr,orange.fr,"
          + "wanadoo.fr,laposte.net,sfr.fr,neuf.fr,bbox.fr,riseup.net,disroot.org")
  java.util.List<String> sharedMailDomains();
}
