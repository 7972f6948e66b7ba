package coop.salons.billing.plan;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.plan.PlanDtos.PlanInput;
import coop.salons.billing.plan.PlanDtos.PlanView;
import coop.salons.common.api.ETags;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.common.security.Hoster;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The plans: everyone signed in reads the offered ones; the hoster's operators write them. */
@Path("/api/v1/plans")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "plans")
public class PlanResource {

  @Inject Plans plans;
  @Inject Hoster hoster;
  @Inject BillingConfig config;

  @GET
  @Operation(summary = "The plans on offer (the hoster's operators also see retired ones)")
  public Page<PlanView> list() {
    List<Plan> all = Plan.listAll(Sort.by("suggestedPriceCents").and("id"));
    boolean everything = hoster.is();
    return new Page<>(
        all.stream()
            .filter(p -> everything || p.available)
            .map(p -> PlanView.of(p, config.currency()))
            .toList(),
        null);
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One plan")
  public Response get(@PathParam("id") String id) {
    Plan p = plans.get(id);
    if (!p.available && !hoster.is()) {
      throw ProblemException.notFound("No plan '" + id + "' on offer.");
    }
    return Response.ok(PlanView.of(p, config.currency())).tag(ETags.of(p.version)).build();
  }

  @POST
  @Operation(summary = "Offer a new plan (hoster's operators)")
  @APIResponse(responseCode = "201", description = "Created")
  public Response create(@NotNull @Valid PlanInput input) {
    hoster.require("create plans");
    Plan p = plans.create(input);
    return Response.created(URI.create("/api/v1/plans/" + p.id))
        .entity(PlanView.of(p, config.currency()))
        .tag(ETags.of(p.version))
        .build();
  }

  @PUT
  @Path("{id}")
  @Operation(
      summary = "Change a plan (hoster's operators); available=false retires it",
      description = "Send If-Match with the ETag you read to be sure not to overwrite a change.")
  public Response update(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @NotNull @Valid PlanInput input) {
    hoster.require("change plans");
    Plan p = plans.update(id, input, ETags.ifMatch(ifMatch));
    return Response.ok(PlanView.of(p, config.currency())).tag(ETags.of(p.version)).build();
  }
}
