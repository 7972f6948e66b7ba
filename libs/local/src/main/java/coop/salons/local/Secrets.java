package coop.salons.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Properties;

/**
 * The local platform's secrets: generated on first use, kept in a file only its owner can read, and
 * never printed (but for the demo password, which the person starting the platform needs).
 */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Properties values;

  private Secrets(Properties values) {
    this.values = values;
  }

  /** Loads the secrets from a file, generating and saving those that are missing. */
  public static Secrets loadOrCreate(Path file, Collection<String> names) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    boolean changed = false;
    for (String name : names) {
      if (!p.containsKey(name)) {
        p.setProperty(name, generate());
        changed = true;
      }
    }
    if (changed) {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "Generated secrets of the local Salons platform. Keep this file private.");
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return new Secrets(p);
  }

  /** Secrets that live only in memory (the test servers'). */
  public static Secrets ephemeral(Collection<String> names) {
    Properties p = new Properties();
    names.forEach(n -> p.setProperty(n, generate()));
    return new Secrets(p);
  }

  public String get(String name) {
    String v = values.getProperty(name);
    if (v == null) {
      throw new IllegalArgumentException("no secret named " + name);
    }
    return v;
  }

  /** 24 random bytes, URL-safe: fits in a password, a client secret and a URL alike. */
  public static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
