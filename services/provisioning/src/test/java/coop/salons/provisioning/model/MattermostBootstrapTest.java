package coop.salons.provisioning.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command an {@code accounts}-mode Mattermost runs at its start to make the platform's account
 * through its local mode, run for real by /bin/sh as rendered. {@code mmctl} is a stand-in script
 * that records how it was called and answers as Mattermost's does; the socket is a real Unix socket
 * that appears a moment after the command starts, as the server's does. What this cannot show: a
 * real Mattermost accepting the call (none runs on the build machines).
 */
class MattermostBootstrapTest {

  @TempDir Path dir;

  @Test
  void waitsForTheSocketThenMakesTheAccountWithThePasswordFromTheSecretsFolder() throws Exception {
    Path calls = mmctl("echo 'created'; exit 0");
    Process p = start();
    Thread.sleep(1500);
    assertTrue(p.isAlive(), "waits while the server has no socket yet");
    assertEquals(List.of(), lines(calls));
    try (ServerSocketChannel socket = listen()) {
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "ends once the account is made");
    }
    assertEquals(0, p.exitValue());
    assertEquals(
        List.of(
            "socket="
                + dir.resolve("run/mattermost_local.socket")
                + " args=--local user create --system-admin --username salons-admin --email"
                + " salons-admin@localhost.localdomain --password adminPASSWORD"),
        lines(calls));
  }

  @Test
  void anAccountThatExistsIsDoneAndAFailureIsTriedAgain() throws Exception {
    try (ServerSocketChannel socket = listen()) {
      Path calls = mmctl("echo 'Error: An account with that username already exists.'; exit 1");
      Process p = start();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertEquals(1, lines(calls).size(), "one call: the account is there");

      // Not ready yet (the server answers an error): asked again two seconds later.
      Files.writeString(dir.resolve("failed-once"), "");
      calls =
          mmctl(
              "if [ -f '"
                  + dir.resolve("failed-once")
                  + "' ]; then rm '"
                  + dir.resolve("failed-once")
                  + "'; echo 'Error: connection refused'; exit 1; fi; exit 0");
      p = start();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      assertEquals(2, lines(calls).size(), "asked again after a failure");
    }
  }

  /** The rendered start-up command of an accounts-mode instance placed in this test's folder. */
  private Process start() throws IOException {
    Placement placement =
        new Placement(
            "127.0.0.1",
            8065,
            "http://localhost:8065/",
            "localhost",
            dir.resolve("config").toString(),
            dir.resolve("data").toString(),
            dir.resolve("secrets").toString(),
            dir.resolve("run").toString(),
            java.util.Optional.empty(),
            java.util.Optional.empty());
    InstanceSpec spec = Specs.mattermost(LoginMode.ACCOUNTS, "Équipe");
    Map<String, String> secrets = Specs.secrets(Flavour.MATTERMOST);
    Rendered r = new MattermostRenderer().render(spec, placement, secrets);
    Files.createDirectories(dir.resolve("secrets"));
    Files.createDirectories(dir.resolve("run"));
    Path password = dir.resolve("secrets").resolve(MattermostRenderer.ADMIN_PASSWORD_FILE);
    Files.writeString(password, r.secretFiles().get(MattermostRenderer.ADMIN_PASSWORD_FILE));
    ProcessBuilder pb = new ProcessBuilder(r.afterStart());
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("bootstrap.log").toFile());
    return pb.start();
  }

  /**
   * A stand-in mmctl on the command's PATH: records its socket and arguments, then {@code then}.
   */
  private Path mmctl(String then) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path calls = dir.resolve("calls-" + UUID.randomUUID());
    Path script = bin.resolve("mmctl");
    Files.writeString(
        script,
        "#!/bin/sh\necho \"socket=$MMCTL_LOCAL_SOCKET_PATH args=$*\" >> '"
            + calls
            + "'\n"
            + then
            + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return calls;
  }

  private ServerSocketChannel listen() throws IOException {
    Files.createDirectories(dir.resolve("run"));
    ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    s.bind(UnixDomainSocketAddress.of(dir.resolve("run/mattermost_local.socket")));
    return s;
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }
}
