package coop.salons.billing.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.billing.BillingConfig;
import coop.salons.billing.plan.PlanDtos.PlanInput;
import coop.salons.common.api.Problem;
import coop.salons.common.api.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** The plans: seeded from a file at start-up, then edited by the hoster through the API. */
@ApplicationScoped
public class Plans {

  @Inject BillingConfig config;
  @Inject ObjectMapper json;
  @Inject Validator validator;

  /** Creates the seed file's plans that do not exist yet; never overwrites the hoster's edits. */
  @Transactional
  void seed(@Observes StartupEvent start) {
    List<PlanInput> seeds = readSeed();
    int created = 0;
    for (PlanInput p : seeds) {
      Set<ConstraintViolation<PlanInput>> refused = validator.validate(p);
      if (!refused.isEmpty()) {
        throw new IllegalStateException(
            "The plans file has an invalid plan " + p.id() + ": " + refused.iterator().next());
      }
      if (Plan.findById(p.id()) == null) {
        create(p);
        created++;
      }
    }
    if (Plan.findById(config.defaultPlan()) == null) {
      throw new IllegalStateException(
          "The default plan '"
              + config.defaultPlan()
              + "' is neither in the plans file nor stored.");
    }
    if (created > 0) {
      Log.infof("Created %d plan(s) from the plans file", created);
    }
  }

  private List<PlanInput> readSeed() {
    try (InputStream in =
        config.plansFile().isPresent()
            ? Files.newInputStream(Path.of(config.plansFile().get()))
            : Plans.class.getResourceAsStream("/plans.json")) {
      return json.readValue(in, new TypeReference<List<PlanInput>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the plans file: " + e.getMessage(), e);
    }
  }

  /** A new plan; 409 if its id is taken. */
  @Transactional
  public Plan create(PlanInput input) {
    if (Plan.findById(input.id()) != null) {
      throw ProblemException.conflict("A plan '" + input.id() + "' exists already.");
    }
    Plan p = new Plan();
    p.id = input.id();
    p.createdAt = OffsetDateTime.now();
    write(p, input);
    p.persist();
    return p;
  }

  /** Changes a plan; its subscribers keep it, with the new quotas and rules. */
  @Transactional
  public Plan update(String id, PlanInput input, Long expectedVersion) {
    Plan p = get(id);
    if (!id.equals(input.id())) {
      throw ProblemException.invalid("id", "must be the plan's id, " + id);
    }
    if (expectedVersion != null && expectedVersion != p.version) {
      throw ProblemException.preconditionFailed("The plan changed since you read it.");
    }
    write(p, input);
    p.updatedAt = OffsetDateTime.now();
    Plan.flush(); // the answer's ETag is the new version
    return p;
  }

  public Plan get(String id) {
    Plan p = id == null ? null : Plan.findById(id);
    if (p == null) {
      throw ProblemException.notFound("No plan '" + id + "'.");
    }
    return p;
  }

  private static void write(Plan p, PlanInput input) {
    if (input.price().minimumCents() > input.price().suggestedCents()) {
      throw new ProblemException(
          400,
          "validation",
          "Invalid request",
          "The request has invalid fields.",
          List.of(
              new Problem.Violation(
                  "price.minimumCents", "must not be above the suggested price")));
    }
    p.name = input.name();
    p.description = input.description() == null ? "" : input.description();
    p.maxInstances = input.quotas().instances();
    p.maxMembers = input.quotas().members();
    p.storageGb = input.quotas().storageGb();
    p.cpuMillicores = input.quotas().cpuMillicores();
    p.memoryMib = input.quotas().memoryMib();
    p.suggestedPriceCents = input.price().suggestedCents();
    p.minimumPriceCents = input.price().minimumCents();
    p.solidaritySharePercent = input.price().solidaritySharePercent();
    p.available = input.available() == null || input.available();
  }
}
