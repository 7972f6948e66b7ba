package coop.salons.billing.subscription;

import coop.salons.billing.plan.Quota;
import coop.salons.billing.subscription.Quotas.ClaimAnswer;
import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.common.security.ServiceCallers;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Quota claims, for the platform's services before they act: provisioning before it creates an
 * instance or grows a volume, identity before it adds a member.
 */
@Path("/api/v1/organizations/{org}/quota-claims")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "quotas")
public class QuotaClaimResource {

  static final Set<String> CALLERS = Set.of("salons-provisioning", "salons-identity");
  static final String QUOTA = "^(instances|members|storage-gb|cpu-millicores|memory-mib)$";
  static final String KEY = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$";

  @Inject Quotas quotas;
  @Inject JsonWebToken token;

  /** What a service wants to hold, and under which key. */
  public record Claim(
      @NotNull
          @Pattern(
              regexp = QUOTA,
              message =
                  "must be one of instances, members, storage-gb," + " cpu-millicores, memory-mib")
          String quota,
      @NotNull @Pattern(regexp = KEY, message = "must be 1-100 of A-Z a-z 0-9 . _ : @ -")
          String key,
      @NotNull @Min(1) @Max(1_000_000_000L) Long amount,
      Boolean dryRun) {}

  @POST
  @Operation(
      summary = "Hold part of a quota, or only check it (dryRun) — platform services only",
      description =
          "201 when held anew, 200 when the key already held it (its amount is replaced) or for a"
              + " dry run; 403 quota-exceeded says which quota, its limit, the use and the excess."
              + " The answer's warning is true from 80 % of the limit.")
  @APIResponse(responseCode = "200", description = "Already held under this key")
  @APIResponse(responseCode = "201", description = "Held")
  public Response claim(@PathParam("org") String org, @NotNull @Valid Claim claim) {
    ServiceCallers.require(token, CALLERS, "claim quotas");
    ClaimAnswer a =
        quotas.claim(
            checked(org),
            Quota.parse(claim.quota()).orElseThrow(),
            claim.key(),
            claim.amount(),
            Boolean.TRUE.equals(claim.dryRun()),
            token.getClaim("azp"));
    if (a.created()) {
      return Response.created(
              URI.create(
                  "/api/v1/organizations/"
                      + org
                      + "/quota-claims/"
                      + claim.quota()
                      + "/"
                      + a.key()))
          .entity(a)
          .build();
    }
    return Response.ok(a).build();
  }

  /** Several claims held together or not at all (an instance: its slot, CPU, memory, storage). */
  public record Batch(
      @NotNull @Size(min = 1, max = 10) List<@NotNull @Valid Claim> claims, Boolean dryRun) {}

  /** What a batch held. */
  public record BatchAnswer(List<ClaimAnswer> claims) {}

  @POST
  @Path("batch")
  @Operation(
      summary = "Hold several quotas at once, all or none — platform services only",
      description =
          "201 when any claim was held anew, 200 otherwise; the first quota the batch would"
              + " exceed refuses all of it with 403 quota-exceeded, and nothing is held.")
  @APIResponse(responseCode = "200", description = "Already held (or a dry run)")
  @APIResponse(responseCode = "201", description = "Held")
  public Response claimAll(@PathParam("org") String org, @NotNull @Valid Batch batch) {
    ServiceCallers.require(token, CALLERS, "claim quotas");
    List<Quotas.Item> items = items(batch.claims());
    List<ClaimAnswer> answers =
        quotas.claimAll(
            checked(org), items, Boolean.TRUE.equals(batch.dryRun()), token.getClaim("azp"));
    boolean created = answers.stream().anyMatch(ClaimAnswer::created);
    return Response.status(created ? 201 : 200).entity(new BatchAnswer(answers)).build();
  }

  /** A batch's claims as billing holds them; the same quota and key twice is refused. */
  static List<Quotas.Item> items(List<Claim> claims) {
    List<Quotas.Item> items =
        claims.stream()
            .map(c -> new Quotas.Item(Quota.parse(c.quota()).orElseThrow(), c.key(), c.amount()))
            .toList();
    if (items.stream().map(i -> i.quota() + "/" + i.key()).distinct().count() != items.size()) {
      throw ProblemException.invalid("claims", "must not name the same quota and key twice");
    }
    return items;
  }

  /** How much of a quota the organisation's claims hold, and the claims themselves. */
  public record Held(String quota, long used, List<Quotas.HeldClaim> claims) {}

  @GET
  @Path("{quota}")
  @Operation(
      summary = "How much of one quota is held, and by which keys — platform services only",
      description =
          "Identity asks it before deleting an organisation (its instances must hold nothing);"
              + " provisioning, to release instance claims a crash left behind.")
  public Held held(
      @PathParam("org") String org,
      @PathParam("quota") @Pattern(regexp = QUOTA, message = "unknown quota") String quota) {
    ServiceCallers.require(token, CALLERS, "read quota claims");
    Quota q = Quota.parse(quota).orElseThrow();
    List<Quotas.HeldClaim> claims = quotas.claims(checked(org), q);
    return new Held(quota, claims.stream().mapToLong(Quotas.HeldClaim::amount).sum(), claims);
  }

  @DELETE
  @Path("{quota}/{key}")
  @Operation(summary = "Let go of what a key holds (204 whether or not it held anything)")
  @APIResponse(responseCode = "204", description = "Released")
  public Response release(
      @PathParam("org") String org,
      @PathParam("quota") @Pattern(regexp = QUOTA, message = "unknown quota") String quota,
      @PathParam("key") @Pattern(regexp = KEY, message = "not a claim key") String key) {
    ServiceCallers.require(token, CALLERS, "release quotas");
    quotas.release(checked(org), Quota.parse(quota).orElseThrow(), key);
    return Response.noContent().build();
  }

  private static String checked(String org) {
    if (!Slugs.isValid(org)) {
      throw ProblemException.notFound("No organisation '" + org + "'.");
    }
    return org;
  }
}
