package coop.salons.billing.subscription;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.plan.Plan;
import coop.salons.billing.plan.PlanDtos;
import coop.salons.billing.plan.PlanDtos.PlanView;
import coop.salons.billing.subscription.Quotas.QuotaUse;
import coop.salons.common.api.ETags;
import coop.salons.common.security.Caller;
import coop.salons.membership.OrganizationAccess;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An organisation's plan, price and quotas: members read them, owners change them. */
@Path("/api/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "subscriptions")
public class SubscriptionResource {

  @Inject OrganizationAccess access;
  @Inject Caller caller;
  @Inject Subscriptions subscriptions;
  @Inject Quotas quotas;
  @Inject BillingConfig config;

  /** A plan and a price to move to. */
  public record ChangeSubscription(
      @NotNull @Pattern(regexp = "^[a-z][a-z0-9-]{1,38}[a-z0-9]$", message = "must be a plan id")
          String planId,
      @NotNull @Min(0) @Max(PlanDtos.MAX_PRICE_CENTS) Long priceCents) {}

  /** The subscription as its organisation reads it. */
  public record SubscriptionView(
      String organization,
      PlanView plan,
      long priceCents,
      long solidarityShareCents,
      String currency,
      List<QuotaUse> quotas,
      OffsetDateTime since,
      OffsetDateTime updatedAt) {}

  @GET
  @Path("subscription")
  @Operation(summary = "The organisation's plan, chosen price and quotas (members)")
  public Response get(@PathParam("org") String org) {
    access.require(org, caller.id(), "member");
    return view(subscriptions.of(org));
  }

  @PUT
  @Path("subscription")
  @Operation(
      summary = "Choose a plan and a price within its rules (owners)",
      description =
          "The price must be at least the plan's minimum; what the organisation holds must fit the"
              + " plan's quotas, otherwise 409 plan-too-small lists the quotas in the way.")
  public Response change(
      @PathParam("org") String org,
      @HeaderParam("If-Match") String ifMatch,
      @NotNull @Valid ChangeSubscription body) {
    access.require(org, caller.id(), "owner");
    return view(
        subscriptions.change(org, body.planId(), body.priceCents(), ETags.ifMatch(ifMatch)));
  }

  @GET
  @Path("quotas")
  @Operation(summary = "Each quota: limit, use, and a warning from 80 % (members)")
  public List<QuotaUse> quotas(@PathParam("org") String org) {
    access.require(org, caller.id(), "member");
    return quotas.of(org);
  }

  private Response view(Subscription s) {
    Plan plan = Plan.findById(s.planId);
    return Response.ok(
            new SubscriptionView(
                s.organizationSlug,
                PlanView.of(plan, config.currency()),
                s.priceCents,
                Money.percentOf(s.priceCents, plan.solidaritySharePercent),
                config.currency(),
                quotas.of(s.organizationSlug),
                s.createdAt,
                s.updatedAt))
        .tag(ETags.of(s.version))
        .build();
  }
}
