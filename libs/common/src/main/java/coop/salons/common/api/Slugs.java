package coop.salons.common.api;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Slugs (of organisations and instances) end up in DNS names, URLs and database names: lower-case
 * letters, digits and inner hyphens, 3 to 40 characters, no double hyphen, and none of the names
 * the platform keeps.
 */
public final class Slugs {

  public static final String PATTERN = "^[a-z][a-z0-9-]{1,38}[a-z0-9]$";
  private static final Pattern SLUG = Pattern.compile(PATTERN);

  /** Names the platform or the web keeps for itself. */
  public static final Set<String> RESERVED =
      Set.of(
          "admin",
          "api",
          "app",
          "auth",
          "billing",
          "chat",
          "commons",
          "dashboard",
          "docs",
          "help",
          "identity",
          "keycloak",
          "login",
          "mail",
          "matrix",
          "mattermost",
          "metrics",
          "portal",
          "provisioning",
          "root",
          "salons",
          "static",
          "status",
          "support",
          "system",
          "www");

  private Slugs() {}

  public static boolean isValid(String slug) {
    return slug != null && SLUG.matcher(slug).matches() && !slug.contains("--");
  }

  public static boolean isReserved(String slug) {
    return RESERVED.contains(slug);
  }
}
