package coop.salons.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.billing.statement.Months;
import coop.salons.billing.statement.StatementRuns;
import coop.salons.billing.statement.StatementRuns.Run;
import coop.salons.billing.statement.Statements;
import coop.salons.billing.statement.Statements.Statement;
import coop.salons.billing.usage.UsageSamples;
import coop.salons.billing.usage.UsageSamples.Sample;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Statements on the real PostgreSQL, as properties over random months: the same samples sent to two
 * months of equal length, in different orders, batches and with repeats, give the same statements;
 * every month's shares add up to its total to the cent and none is negative.
 *
 * <p>The organisations are subscribed straight in billing's database (identity is not needed to
 * test the arithmetic); the samples go through the ingestion service, the statements through the
 * same computation the API and the scheduler use.
 */
@QuarkusTest
class StatementPropertiesTest {

  @Inject UsageSamples samples;
  @Inject StatementRuns runs;
  @Inject Statements statements;
  @Inject EntityManager em;

  /** Pairs of past months of 31 days. */
  static final List<YearMonth[]> PAIRS =
      List.of(
          new YearMonth[] {YearMonth.of(2025, 12), YearMonth.of(2026, 1)},
          new YearMonth[] {YearMonth.of(2026, 3), YearMonth.of(2026, 5)},
          new YearMonth[] {YearMonth.of(2026, 7), YearMonth.of(2026, 8)});

  record Use(String org, UUID instance, int hour, int cpu, int memory, long storage, int members) {}

  @Transactional
  void subscribe(String org, String plan, long price) {
    em.createNativeQuery(
            "INSERT INTO subscription (organization_slug, plan_id, price_cents, created_at,"
                + " updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")
        .setParameter(1, org)
        .setParameter(2, plan)
        .setParameter(3, price)
        .setParameter(4, OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
        .executeUpdate();
  }

  @Test
  void theSameUseGivesTheSameStatementsWhateverTheOrderAndTheyAddUp() {
    Instant now = Instant.now();
    Random random = new Random(now.toEpochMilli());
    for (YearMonth[] pair : PAIRS) {
      List<String> orgs = new ArrayList<>();
      List<Use> uses = new ArrayList<>();
      int n = 3 + random.nextInt(10);
      for (int i = 0; i < n; i++) {
        String org = "sp" + UUID.randomUUID().toString().substring(0, 8) + "-" + i;
        orgs.add(org);
        subscribe(
            org, List.of("small", "medium", "large").get(random.nextInt(3)), random.nextInt(6000));
        boolean idle = random.nextInt(4) == 0;
        int instances = idle ? 0 : 1 + random.nextInt(3);
        for (int k = 0; k < instances; k++) {
          UUID instance = UUID.randomUUID();
          int from = random.nextInt(744);
          int to = from + random.nextInt(744 - from) + 1;
          for (int h = from; h < to; h++) {
            uses.add(
                new Use(
                    org,
                    instance,
                    h,
                    random.nextInt(4000),
                    random.nextInt(8192),
                    random.nextInt(1 << 24),
                    random.nextInt(300)));
          }
        }
      }
      send(pair[0], uses, 1000);
      List<Use> shuffled = new ArrayList<>(uses);
      Collections.shuffle(shuffled, random);
      shuffled.addAll(shuffled.subList(0, shuffled.size() / 10)); // repeats count once
      Collections.shuffle(shuffled, random);
      send(pair[1], shuffled, 333);

      Run a = runs.compute(pair[0], now);
      Run b = runs.compute(pair[1], now);
      assertTrue(a.samples() >= uses.size(), "every sample counted");
      assertEquals(a.samples(), b.samples());
      assertAddsUp(a);
      assertAddsUp(b);
      for (String org : orgs) {
        Statement sa = statements.of(org, pair[0]).orElseThrow();
        Statement sb = statements.of(org, pair[1]).orElseThrow();
        assertEquals(withoutMonth(sa), withoutMonth(sb), org);
      }
      // Computed again, nothing moves.
      Run again = runs.compute(pair[0], now);
      assertEquals(a.totalCostCents(), again.totalCostCents());
      for (String org : orgs) {
        assertEquals(
            statements.of(org, pair[0]).orElseThrow(), statements.of(org, pair[0]).orElseThrow());
      }
    }
  }

  void send(YearMonth month, List<Use> uses, int batch) {
    Instant start = Months.start(month);
    Instant now = Instant.now();
    for (int i = 0; i < uses.size(); i += batch) {
      List<Sample> chunk = new ArrayList<>();
      for (Use u : uses.subList(i, Math.min(uses.size(), i + batch))) {
        chunk.add(
            new Sample(
                u.org(),
                u.instance(),
                start.plus(u.hour(), ChronoUnit.HOURS).atOffset(ZoneOffset.UTC),
                u.cpu(),
                u.memory(),
                u.storage(),
                u.members()));
      }
      samples.ingest(chunk, now);
    }
  }

  void assertAddsUp(Run run) {
    long cost = 0;
    long direct = 0;
    long paid = 0;
    String after = null;
    Map<String, Boolean> seen = new HashMap<>();
    while (true) {
      List<Statement> page = statements.ofMonth(run.month(), after, 500);
      if (page.isEmpty()) {
        break;
      }
      for (Statement s : page) {
        assertTrue(seen.put(s.organization(), true) == null);
        assertTrue(
            s.cpuCents() >= 0
                && s.memoryCents() >= 0
                && s.storageCents() >= 0
                && s.sharedCents() >= 0
                && s.coveredBySolidarityCents() >= 0,
            s.toString());
        assertEquals(
            s.costCents(), s.cpuCents() + s.memoryCents() + s.storageCents() + s.sharedCents());
        cost += s.costCents();
        direct += s.cpuCents() + s.memoryCents() + s.storageCents();
        paid += s.priceCents();
      }
      after = page.get(page.size() - 1).organization();
    }
    assertEquals(run.organizations(), seen.size());
    assertEquals(run.totalCostCents(), cost, "the shares add up to the total");
    assertEquals(run.directCostCents(), direct);
    assertEquals(run.paidCents(), paid);
    assertEquals(
        run.totalCostCents(), run.directCostCents() + run.idleCostCents() + run.fixedCostCents());
  }

  static Statement withoutMonth(Statement s) {
    return new Statement(
        s.organization(),
        null,
        s.planId(),
        s.priceCents(),
        s.coreHours(),
        s.memoryGibHours(),
        s.storageGbMonths(),
        s.peakMembers(),
        s.cpuCents(),
        s.memoryCents(),
        s.storageCents(),
        s.sharedCents(),
        s.costCents(),
        s.solidarityShareCents(),
        s.coveredBySolidarityCents());
  }
}
