package coop.salons.identity;

import coop.salons.common.db.SingleReplica;
import coop.salons.common.idempotency.Idempotency;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Forgets stored answers to Idempotency-Key requests once they are a day old. */
@ApplicationScoped
public class IdempotencyCleanup {

  @Inject Idempotency idempotency;
  @Inject SingleReplica singleReplica;

  @Scheduled(every = "1h", delayed = "5m", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void expire() {
    singleReplica.run("identity idempotency cleanup", idempotency::expire);
  }
}
