package coop.salons.provisioning.instance;

import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.InstanceDtos.InstanceView;
import coop.salons.provisioning.quota.InstanceQuota;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creations that arrive together are written together (docs/adr/0017): each request, once checked,
 * waits here; a writer (two by default, {@code salons.provisioning.creation-writers}) takes every
 * creation waiting, asks billing for all their claims in one call (each instance's claims held
 * whole or refused on its own), then inserts the accepted ones in one transaction. Fifty volunteers
 * asking at once cost one call to billing and one commit, not fifty, and each still gets its own
 * answer: 202, or the refusal that concerns it alone (403 over quota, 409 slug taken). A batch that
 * fails as a whole is retried one creation at a time, so that one bad creation never refuses the
 * others; whatever is not written gives its claim back.
 */
@ApplicationScoped
public class Creations {

  /** The most creations one batch takes (billing accepts 200 groups per call). */
  static final int MAX_BATCH = 200;

  /** How long a request waits for its batch before answering 503. */
  static final long WAIT_SECONDS = 30;

  /** A checked creation, waiting for its batch. */
  record Pending(Creation creation, CompletableFuture<InstanceView> answer) {}

  @Inject InstanceQuota quota;

  /** Checks and writes creations (the instance service). */
  public interface Writer {
    /** For each creation, the refusal if its slug or domain is taken. */
    List<Optional<ProblemException>> taken(List<Creation> batch);

    /** Writes claimed creations in the caller's transaction. */
    List<Written> insertAll(List<Creation> batch);
  }

  /** A creation written (its instance), or refused (why). */
  public record Written(InstanceView instance, ProblemException refusal) {}

  @Inject Writer instances;
  @Inject ProvisioningConfig config;

  private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean running = true;

  void start(@Observes StartupEvent event) {
    // A few writers, so that one batch is checked with billing while another commits.
    for (int n = 0; n < config.creationWriters(); n++) {
      Thread writer = new Thread(this::write, "instance-creations-" + n);
      writer.setDaemon(true);
      writer.start();
      writers.add(writer);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    writers.forEach(Thread::interrupt);
    List<Pending> left = new ArrayList<>();
    waiting.drainTo(left);
    left.forEach(p -> p.answer().completeExceptionally(stopping()));
  }

  /** Queues a checked creation and waits for its batch: the new instance, or its refusal. */
  public InstanceView submit(Creation creation) {
    Pending p = new Pending(creation, new CompletableFuture<>());
    if (!running) {
      throw stopping();
    }
    waiting.add(p);
    try {
      return p.answer().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      // Still queued or being written: the writer gives its claim back if it fails later.
      throw ProblemException.unavailable(
          "creation-delayed",
          "Creation delayed",
          "The instance could not be written in time; list the organisation's instances before"
              + " asking again.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stopping();
    }
  }

  private void write() {
    while (running) {
      List<Pending> batch = new ArrayList<>();
      try {
        Pending first = waiting.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        waiting.drainTo(batch, MAX_BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Log.errorf(e, "A batch of %d instance creations failed", batch.size());
        batch.forEach(p -> p.answer().completeExceptionally(e));
      }
    }
  }

  /** One batch: what is taken refused first, then billing's claims, then one insert. */
  void write(List<Pending> batch) {
    List<Pending> free = new ArrayList<>();
    Map<Pending, ProblemException> refused = new IdentityHashMap<>();
    List<Optional<ProblemException>> taken =
        QuarkusTransaction.requiringNew()
            .call(() -> instances.taken(batch.stream().map(Pending::creation).toList()));
    for (int n = 0; n < batch.size(); n++) {
      Optional<ProblemException> t = taken.get(n);
      if (t.isPresent()) {
        refused.put(batch.get(n), t.get());
      } else {
        free.add(batch.get(n));
      }
    }
    List<Pending> claimed = new ArrayList<>();
    if (!free.isEmpty()) {
      List<Optional<ProblemException>> claims;
      try {
        claims =
            quota.claimEach(
                free.stream()
                    .map(
                        p ->
                            new InstanceQuota.Sized(
                                p.creation().org(), p.creation().id(), p.creation().plan()))
                    .toList());
      } catch (ProblemException unavailable) {
        free.forEach(p -> refused.put(p, unavailable));
        claims = List.of();
      }
      for (int n = 0; n < claims.size(); n++) {
        Pending p = free.get(n);
        claims.get(n).ifPresentOrElse(e -> refused.put(p, e), () -> claimed.add(p));
      }
    }
    Map<Pending, InstanceView> written = insert(claimed, refused);
    for (Pending p : batch) {
      InstanceView view = written.get(p);
      if (view != null) {
        p.answer().complete(view);
      } else {
        p.answer().completeExceptionally(refused.get(p));
      }
    }
  }

  /**
   * Inserts the claimed creations in one transaction; if it fails, each alone. A creation not
   * written gives its claim back and gets its own refusal.
   */
  private Map<Pending, InstanceView> insert(
      List<Pending> claimed, Map<Pending, ProblemException> refused) {
    Map<Pending, InstanceView> written = new IdentityHashMap<>();
    if (claimed.isEmpty()) {
      return written;
    }
    try {
      List<Written> all =
          QuarkusTransaction.requiringNew()
              .call(() -> instances.insertAll(claimed.stream().map(Pending::creation).toList()));
      for (int n = 0; n < claimed.size(); n++) {
        Pending p = claimed.get(n);
        Written w = all.get(n);
        if (w.instance() != null) {
          written.put(p, w.instance());
        } else {
          // Taken meanwhile by another replica: refused, and its claim given back.
          quota.releaseQuietly(p.creation().org(), p.creation().id());
          refused.put(p, w.refusal());
        }
      }
      return written;
    } catch (RuntimeException batchFailed) {
      if (claimed.size() > 1) {
        Log.debugf("A batch insert failed (%s); writing each creation alone", batchFailed);
      }
    }
    for (Pending p : claimed) {
      try {
        Written w =
            QuarkusTransaction.requiringNew()
                .call(() -> instances.insertAll(List.of(p.creation())).get(0));
        if (w.instance() != null) {
          written.put(p, w.instance());
          continue;
        }
        refused.put(p, w.refusal());
      } catch (RuntimeException e) {
        Log.errorf(e, "Writing instance %s failed", p.creation().id());
        refused.put(
            p,
            new ProblemException(
                500,
                "internal",
                "Internal error",
                "The instance could not be written; nothing is kept.",
                List.of()));
      }
      quota.releaseQuietly(p.creation().org(), p.creation().id());
    }
    return written;
  }

  private static ProblemException stopping() {
    return ProblemException.unavailable(
        "shutting-down", "Shutting down", "The service is stopping; ask again in a moment.");
  }
}
