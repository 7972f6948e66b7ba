package coop.salons.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/** Where the build put what the local platform needs: the Keycloak distribution, the repository. */
public final class LocalLayout {

  private static final Properties BUILD = load();

  private LocalLayout() {}

  /** The unpacked Keycloak distribution (read-only; every server runs from its own copy). */
  public static Path keycloakDistribution() {
    return Path.of(System.getProperty("salons.keycloak.home", BUILD.getProperty("keycloak.home")));
  }

  /** The root of the Salons repository. */
  public static Path projectRoot() {
    return Path.of(System.getProperty("salons.project.root", BUILD.getProperty("project.root")));
  }

  /** The realm definition shared by the local platform, the tests and the Helm chart. */
  public static InputStream realmDefinition() {
    InputStream in = LocalLayout.class.getResourceAsStream("/keycloak/salons-realm.json");
    if (in == null) {
      throw new IllegalStateException("keycloak/salons-realm.json is missing from the class path");
    }
    return in;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = LocalLayout.class.getResourceAsStream("/salons-local.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
