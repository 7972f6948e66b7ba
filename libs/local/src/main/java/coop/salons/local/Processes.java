package coop.salons.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stopping child processes cleanly: SIGTERM to the whole tree, then SIGKILL after a delay. */
public final class Processes {

  private Processes() {}

  public static void stop(Process process, Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      for (ProcessHandle child : tree) {
        child.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
