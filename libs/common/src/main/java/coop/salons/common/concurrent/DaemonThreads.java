package coop.salons.common.concurrent;

import java.util.concurrent.ThreadFactory;

/** Threads of a service's own background work: named, and never keeping the JVM alive. */
public final class DaemonThreads {

  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
