package coop.salons.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real SMTP server (GreenMail) for the local platform and the tests: Keycloak sends its mail
 * (organisation invitations) here, and every message is written to a folder as an {@code .eml}
 * file, where a person or a test in another JVM reads it. Nothing leaves the machine.
 */
public final class MailCatcher implements AutoCloseable {

  private final GreenMail greenMail;
  private final Path folder;
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "salons-mail");
            t.setDaemon(true);
            return t;
          });
  private int written;

  private MailCatcher(GreenMail greenMail, Path folder) {
    this.greenMail = greenMail;
    this.folder = folder;
  }

  /**
   * On a port nothing else holds: one found free is tried, and another if something took it in
   * between (the machine's outgoing connections take free ports too).
   */
  public static MailCatcher startOnAnyPort(Path folder) throws IOException {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return start(LocalPlatform.freePort(), folder);
      } catch (IllegalStateException taken) {
        last = taken;
      }
    }
    throw last;
  }

  public static MailCatcher start(int port, Path folder) throws IOException {
    Files.createDirectories(folder);
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    try {
      mail.start();
    } catch (RuntimeException e) {
      mail.stop();
      throw new IllegalStateException("the mail catcher could not listen on port " + port, e);
    }
    MailCatcher catcher = new MailCatcher(mail, folder);
    catcher.writer.scheduleWithFixedDelay(catcher::writeNew, 200, 200, TimeUnit.MILLISECONDS);
    return catcher;
  }

  public int port() {
    return greenMail.getSmtp().getPort();
  }

  public Path folder() {
    return folder;
  }

  private synchronized void writeNew() {
    MimeMessage[] messages = greenMail.getReceivedMessages();
    for (; written < messages.length; written++) {
      Path file = folder.resolve(String.format("%05d.eml", written + 1));
      // Written aside, then moved in place: a reader never sees half a message.
      Path part = folder.resolve(file.getFileName() + ".part");
      try (OutputStream out = Files.newOutputStream(part)) {
        messages[written].writeTo(out);
      } catch (IOException | MessagingException e) {
        Progress.say("could not write a caught email: " + e.getMessage());
        continue;
      }
      try {
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Progress.say("could not write a caught email: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    writeNew();
    greenMail.stop();
  }
}
