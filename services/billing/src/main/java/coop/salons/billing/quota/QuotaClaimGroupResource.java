package coop.salons.billing.quota;

import coop.salons.billing.quota.QuotaClaimResource.Claim;
import coop.salons.billing.quota.Quotas.ClaimAnswer;
import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.common.security.ServiceCallers;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Many organisations' claims in one call, for a service that gathers the creations arriving at the
 * same moment (provisioning, docs/adr/0017): each group is one organisation's all-or-nothing batch,
 * held or refused on its own, in the order given; one group's refusal leaves the others held. All
 * groups are held in one transaction and a few statements ({@link Quotas#claimGroups}); if that
 * transaction fails, each group is held again in a transaction of its own.
 */
@Path("/api/v1/quota-claim-groups")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "quotas")
public class QuotaClaimGroupResource {

  @Inject Quotas quotas;
  @Inject JsonWebToken token;

  /** One organisation's claims, held together or not at all. */
  public record Group(
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = "is not an organisation slug")
          String organization,
      @NotNull @Size(min = 1, max = 10) List<@NotNull @Valid Claim> claims) {}

  /** Up to 200 groups. */
  public record Groups(@NotNull @Size(min = 1, max = 200) List<@NotNull @Valid Group> groups) {}

  /**
   * What became of one group: 201 (held anew) or 200 with its claims, or the refusal's status (403
   * quota-exceeded, 404 unknown organisation, 400) with its problem document.
   */
  public record Outcome(
      String organization, int status, List<ClaimAnswer> claims, Object problem) {}

  /** The groups' outcomes, in the order asked. */
  public record Outcomes(List<Outcome> groups) {}

  @POST
  @Operation(
      summary = "Hold several organisations' claims in one call — platform services only",
      description =
          "Each group is held or refused on its own, as POST …/quota-claims/batch would; the"
              + " answer is 200 with one outcome per group, in order: its status (201, 200, 403"
              + " quota-exceeded, 404, 400) and its claims or its problem document.")
  public Outcomes claim(@NotNull @Valid Groups request) {
    ServiceCallers.require(token, QuotaClaimResource.CALLERS, "claim quotas");
    String by = token.getClaim("azp");
    Outcome[] outcomes = new Outcome[request.groups().size()];
    // The groups whose claims are well formed (a malformed one is refused alone, with a 400).
    List<Integer> asked = new java.util.ArrayList<>();
    List<Quotas.Group> groups = new java.util.ArrayList<>();
    for (int n = 0; n < outcomes.length; n++) {
      Group g = request.groups().get(n);
      try {
        groups.add(new Quotas.Group(g.organization(), QuotaClaimResource.items(g.claims())));
        asked.add(n);
      } catch (ProblemException e) {
        outcomes[n] = refused(g, e);
      }
    }
    try {
      // One transaction and a few statements for all: a refusal writes nothing and leaves it
      // usable, so the groups cost one lock statement, one read, one write and one commit.
      List<Quotas.GroupOutcome> held =
          groups.isEmpty()
              ? List.of()
              : QuarkusTransaction.requiringNew().call(() -> quotas.claimGroups(groups, false, by));
      for (int i = 0; i < asked.size(); i++) {
        Group g = request.groups().get(asked.get(i));
        Quotas.GroupOutcome o = held.get(i);
        outcomes[asked.get(i)] =
            o.refusal() != null ? refused(g, o.refusal()) : held(g, o.answers());
      }
      return new Outcomes(List.of(outcomes));
    } catch (RuntimeException failed) {
      Log.warnf("A batch of quota claim groups failed (%s); holding each group alone", failed);
    }
    for (int n = 0; n < outcomes.length; n++) {
      Group group = request.groups().get(n);
      if (!asked.contains(n)) {
        continue; // refused already (malformed)
      }
      try {
        outcomes[n] =
            hold(group, () -> QuarkusTransaction.requiringNew().call(() -> claimAll(group, by)));
      } catch (RuntimeException e) {
        Log.errorf(e, "A quota claim group for %s failed", group.organization());
        outcomes[n] =
            new Outcome(
                group.organization(),
                500,
                null,
                new ProblemException(
                        500,
                        "internal",
                        "Internal error",
                        "The claim could not be made.",
                        List.of())
                    .document());
      }
    }
    return new Outcomes(List.of(outcomes));
  }

  private List<ClaimAnswer> claimAll(Group group, String by) {
    return quotas.claimAll(
        group.organization(), QuotaClaimResource.items(group.claims()), false, by);
  }

  /** One group's outcome: held, or refused by a problem; anything else fails the whole call. */
  private static Outcome hold(Group group, java.util.function.Supplier<List<ClaimAnswer>> claim) {
    try {
      return held(group, claim.get());
    } catch (ProblemException e) {
      return refused(group, e);
    }
  }

  private static Outcome held(Group group, List<ClaimAnswer> answers) {
    boolean created = answers.stream().anyMatch(ClaimAnswer::created);
    return new Outcome(group.organization(), created ? 201 : 200, answers, null);
  }

  private static Outcome refused(Group group, ProblemException e) {
    return new Outcome(group.organization(), e.status(), null, e.document());
  }
}
