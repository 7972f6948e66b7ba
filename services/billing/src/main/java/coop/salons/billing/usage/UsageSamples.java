package coop.salons.billing.usage;

import coop.salons.billing.subscription.Subscriptions;
import coop.salons.common.api.Problem;
import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Hourly usage samples. A batch is checked whole before anything is written: one bad sample refuses
 * the batch. A sample whose organisation, instance and hour were already stored counts once (the
 * first one sent stays); samples may come late, up to {@link #OLDEST} back.
 */
@ApplicationScoped
public class UsageSamples {

  /** The largest batch. */
  public static final int MAX_BATCH = 10_000;

  /** How far back a late sample is still taken. */
  static final Duration OLDEST = Duration.ofDays(400);

  private static final int MAX_VIOLATIONS = 20;

  @Inject DataSource ds;
  @Inject Subscriptions subscriptions;

  /** One hour of one instance's use. */
  public record Sample(
      String organization,
      UUID instanceId,
      OffsetDateTime hour,
      Integer cpuMillicores,
      Integer memoryMib,
      Long storageMib,
      Integer activeMembers) {}

  /** What a batch did. */
  public record Ingested(int received, int stored, int duplicates) {}

  @Transactional
  public Ingested ingest(List<Sample> samples, Instant now) {
    check(samples, now);
    Set<String> organizations = new LinkedHashSet<>();
    samples.forEach(s -> organizations.add(s.organization()));
    Set<String> known = subscriptions.known(organizations);
    List<Problem.Violation> unknown = new ArrayList<>();
    for (int i = 0; i < samples.size() && unknown.size() < MAX_VIOLATIONS; i++) {
      if (!known.contains(samples.get(i).organization())) {
        unknown.add(
            new Problem.Violation("samples[" + i + "].organization", "no such organisation"));
      }
    }
    if (!unknown.isEmpty()) {
      throw refused(unknown);
    }
    int stored = insert(samples);
    return new Ingested(samples.size(), stored, samples.size() - stored);
  }

  private int insert(List<Sample> samples) {
    int n = samples.size();
    String[] orgs = new String[n];
    UUID[] instances = new UUID[n];
    Long[] hours = new Long[n];
    Integer[] cpu = new Integer[n];
    Integer[] memory = new Integer[n];
    Long[] storage = new Long[n];
    Integer[] members = new Integer[n];
    for (int i = 0; i < n; i++) {
      Sample s = samples.get(i);
      orgs[i] = s.organization();
      instances[i] = s.instanceId();
      hours[i] = s.hour().toEpochSecond();
      cpu[i] = s.cpuMillicores();
      memory[i] = s.memoryMib();
      storage[i] = s.storageMib();
      members[i] = s.activeMembers();
    }
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO usage_sample (organization_slug, instance_id, hour, cpu_millicores,"
                    + " memory_mib, storage_mib, active_members)"
                    + " SELECT o, i, to_timestamp(h), c, m, s, a FROM unnest(?::varchar[], ?::uuid[],"
                    + " ?::bigint[], ?::int[], ?::int[], ?::bigint[], ?::int[]) AS t(o, i, h, c, m, s, a)"
                    + " ON CONFLICT DO NOTHING")) {
      st.setArray(1, c.createArrayOf("varchar", orgs));
      st.setArray(2, c.createArrayOf("uuid", instances));
      st.setArray(3, c.createArrayOf("int8", hours));
      st.setArray(4, c.createArrayOf("int4", cpu));
      st.setArray(5, c.createArrayOf("int4", memory));
      st.setArray(6, c.createArrayOf("int8", storage));
      st.setArray(7, c.createArrayOf("int4", members));
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not store usage samples", e);
    }
  }

  /** Every sample's fields, before anything is written. */
  static void check(List<Sample> samples, Instant now) {
    if (samples == null || samples.isEmpty()) {
      throw ProblemException.invalid("samples", "must hold at least one sample");
    }
    if (samples.size() > MAX_BATCH) {
      throw ProblemException.invalid("samples", "must hold at most " + MAX_BATCH + " samples");
    }
    Instant oldest = now.minus(OLDEST);
    List<Problem.Violation> refused = new ArrayList<>();
    for (int i = 0; i < samples.size() && refused.size() < MAX_VIOLATIONS; i++) {
      Sample s = samples.get(i);
      String at = "samples[" + i + "].";
      if (s == null) {
        refused.add(new Problem.Violation("samples[" + i + "]", "must not be null"));
        continue;
      }
      if (!Slugs.isValid(s.organization())) {
        refused.add(new Problem.Violation(at + "organization", "must be an organisation's slug"));
      }
      if (s.instanceId() == null) {
        refused.add(new Problem.Violation(at + "instanceId", "must not be null"));
      }
      if (s.hour() == null) {
        refused.add(new Problem.Violation(at + "hour", "must not be null"));
      } else {
        Instant h = s.hour().toInstant();
        if (!h.truncatedTo(ChronoUnit.HOURS).equals(h)) {
          refused.add(new Problem.Violation(at + "hour", "must be the start of an hour"));
        } else if (h.isAfter(now)) {
          refused.add(new Problem.Violation(at + "hour", "must not be in the future"));
        } else if (h.isBefore(oldest)) {
          refused.add(
              new Problem.Violation(
                  at + "hour", "must be within the last " + OLDEST.toDays() + " days"));
        }
      }
      range(refused, at + "cpuMillicores", s.cpuMillicores(), 1_000_000);
      range(refused, at + "memoryMib", s.memoryMib(), 4_194_304);
      range(refused, at + "storageMib", s.storageMib(), 1_073_741_824L);
      range(refused, at + "activeMembers", s.activeMembers(), 10_000_000);
    }
    if (!refused.isEmpty()) {
      throw refused(refused);
    }
  }

  private static void range(List<Problem.Violation> refused, String field, Number n, long max) {
    if (n == null) {
      refused.add(new Problem.Violation(field, "must not be null"));
    } else if (n.longValue() < 0 || n.longValue() > max) {
      refused.add(new Problem.Violation(field, "must be between 0 and " + max));
    }
  }

  private static ProblemException refused(List<Problem.Violation> violations) {
    return new ProblemException(
        400,
        "validation",
        "Invalid request",
        "The batch has invalid samples (the first "
            + violations.size()
            + " shown); nothing was stored.",
        violations);
  }
}
