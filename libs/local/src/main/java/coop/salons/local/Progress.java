package coop.salons.local;

import java.time.Duration;
import java.time.Instant;

/** Progress lines for a person watching the platform start: what is happening and how long. */
public final class Progress {

  private Progress() {}

  public static void say(String message) {
    System.out.println("[salons] " + message);
    System.out.flush();
  }

  /** Runs a step, saying when it starts and how long it took. */
  public static <T> T step(String what, ThrowingSupplier<T> work) throws Exception {
    Instant start = Instant.now();
    say(what + " ...");
    T result = work.get();
    long ms = Duration.between(start, Instant.now()).toMillis();
    say(what + ": ready in " + String.format("%.1f s", ms / 1000.0));
    return result;
  }

  /** A step's work. */
  @FunctionalInterface
  public interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
