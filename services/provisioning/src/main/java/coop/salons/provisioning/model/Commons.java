package coop.salons.provisioning.model;

/**
 * The commons server: the platform's own Matrix server, home of the thematic rooms that belong to
 * no association. It is an instance like the others, of a reserved organisation slug that no
 * association can take (Slugs.RESERVED), at {@code commons.<base domain>}.
 */
public final class Commons {

  /** The reserved organisation the commons server is accounted to. */
  public static final String ORGANIZATION = "commons";

  /** The instance's slug within it. */
  public static final String SLUG = "commons";

  /**
   * The localpart of the platform's own account on the commons server, which creates the rooms and
   * the Space and holds their power: the commons service's application service user, in an
   * exclusive namespace, so that no sign-in can ever take that name.
   */
  public static final String PLATFORM_LOCALPART = "salons-commons";

  private Commons() {}

  /** The commons server's host name under the platform's domain. */
  public static String host(String baseDomain) {
    return "commons." + baseDomain;
  }

  /** The platform account's Matrix user id on a server. */
  public static String platformUser(String serverName) {
    return "@" + PLATFORM_LOCALPART + ":" + serverName;
  }
}
