package coop.salons.provisioning.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden}: a rendered file must equal its golden copy.
 * After an intended change, run the tests with {@code -Dgolden.update=true} and review the diff.
 */
final class Golden {

  private static final Path DIR = Path.of("src/test/resources/golden");

  private Golden() {}

  static void assertMatches(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual);
        if (!Boolean.getBoolean("golden.update")) {
          throw new AssertionError(
              "No golden file " + file + " yet: written now; review it and run again.");
        }
        return;
      }
      assertEquals(Files.readString(file), actual, "differs from " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
