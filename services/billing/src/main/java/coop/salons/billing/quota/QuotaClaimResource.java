package coop.salons.billing.quota;

import coop.salons.billing.plan.Quota;
import coop.salons.billing.quota.Quotas.ClaimAnswer;
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
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
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

  /** How much of a quota the organisation's claims hold. */
  public record Held(String quota, long used) {}

  @GET
  @Path("{quota}")
  @Operation(
      summary = "How much of one quota is held — platform services only",
      description =
          "Identity asks it before deleting an organisation: one whose instances still hold"
              + " the instances quota has chat servers left.")
  public Held held(
      @PathParam("org") String org,
      @PathParam("quota") @Pattern(regexp = QUOTA, message = "unknown quota") String quota) {
    ServiceCallers.require(token, CALLERS, "read quota claims");
    Quota q = Quota.parse(quota).orElseThrow();
    return new Held(quota, quotas.used(checked(org)).getOrDefault(q, 0L));
  }

  @DELETE
  @Path("{quota}/{key}")
  @Operation(summary = "Let go of what a key holds (204 whether or not it held anything)")
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
