package coop.salons.billing.subscription;

import coop.salons.billing.subscription.QuotaClaimResource.Claim;
import coop.salons.billing.subscription.Quotas.ClaimAnswer;
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
 * held or refused on its own, in its own transaction, in the order given; one group's refusal
 * leaves the others held.
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
    // Held organisation by organisation (a stable sort keeps one organisation's groups in the
    // order asked): two batches lock the subscriptions they share in the same order.
    List<Integer> order =
        java.util.stream.IntStream.range(0, request.groups().size())
            .boxed()
            .sorted(java.util.Comparator.comparing(n -> request.groups().get(n).organization()))
            .toList();
    Outcome[] outcomes = new Outcome[order.size()];
    try {
      // One transaction for all: a refusal writes nothing and leaves it usable, so the groups
      // cost one commit together, not one each.
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                for (int n : order) {
                  Group g = request.groups().get(n);
                  outcomes[n] = hold(g, () -> claimAll(g, by));
                }
              });
      return new Outcomes(List.of(outcomes));
    } catch (RuntimeException failed) {
      Log.warnf("A batch of quota claim groups failed (%s); holding each group alone", failed);
    }
    for (int n : order) {
      Group group = request.groups().get(n);
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
      List<ClaimAnswer> answers = claim.get();
      boolean created = answers.stream().anyMatch(ClaimAnswer::created);
      return new Outcome(group.organization(), created ? 201 : 200, answers, null);
    } catch (ProblemException e) {
      return new Outcome(group.organization(), e.status(), null, e.document());
    }
  }
}
