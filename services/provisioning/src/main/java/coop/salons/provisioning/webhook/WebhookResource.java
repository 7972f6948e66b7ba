package coop.salons.provisioning.webhook;

import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Urls;
import coop.salons.common.security.Caller;
import coop.salons.membership.OrganizationAccess;
import coop.salons.provisioning.ProvisioningConfig;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
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
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Webhook subscriptions of an organisation (owners and admins). */
@Path("/api/v1/organizations/{org}/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks")
public class WebhookResource {

  /** An https URL (http only on localhost) without credentials or fragment. */
  static final String URL = Urls.HTTPS_OR_LOCAL;

  @Inject OrganizationAccess access;
  @Inject Caller caller;
  @Inject ProvisioningConfig config;

  /** A new subscription. */
  public record CreateWebhook(
      @NotNull
          @Size(max = 2000)
          @Pattern(regexp = URL, message = "must be an https URL (http only on localhost)")
          String url) {}

  /** A subscription as listed: never its secret. */
  public record WebhookView(UUID id, String url, OffsetDateTime createdAt) {}

  /** The answer to a creation: the only time the signing secret is shown. */
  public record CreatedWebhook(UUID id, String url, OffsetDateTime createdAt, String secret) {}

  @POST
  @Transactional
  @Operation(summary = "Subscribe a URL to the organisation's instance state changes")
  @APIResponse(
      responseCode = "201",
      description = "Created, with its signing secret (the only time it is shown)")
  public Response create(@PathParam("org") String org, @Valid @NotNull CreateWebhook request) {
    access.require(org, caller.id(), "admin");
    if (request.url().startsWith("http://") && !config.allowLocalWebhooks()) {
      throw ProblemException.invalid("url", "must be an https URL");
    }
    if (Webhook.count("organizationSlug", org) >= 10) {
      throw ProblemException.conflict("An organisation has at most 10 webhooks.");
    }
    Webhook w = new Webhook();
    w.id = UUID.randomUUID();
    w.organizationSlug = org;
    w.url = request.url();
    w.secret = WebhookDispatcher.newSecret();
    w.createdAt = OffsetDateTime.now();
    w.persist();
    return Response.status(201)
        .location(URI.create("/api/v1/organizations/" + org + "/webhooks/" + w.id))
        .entity(new CreatedWebhook(w.id, w.url, w.createdAt, w.secret))
        .build();
  }

  @GET
  @Transactional
  @Operation(summary = "The organisation's webhooks (without their secrets)")
  public Page<WebhookView> list(@PathParam("org") String org) {
    access.require(org, caller.id(), "admin");
    // At most 10 per organisation: one page.
    return new Page<>(
        Webhook.<Webhook>list("organizationSlug = ?1 order by createdAt", org).stream()
            .map(w -> new WebhookView(w.id, w.url, w.createdAt))
            .toList(),
        null);
  }

  /** One delivery as its organisation reads it: never the payload's signature or the secret. */
  public record DeliveryView(
      long id,
      String eventType,
      OffsetDateTime createdAt,
      int attempts,
      OffsetDateTime lastAttemptAt,
      Integer lastStatus,
      String lastError,
      OffsetDateTime deliveredAt,
      OffsetDateTime nextAttemptAt) {}

  @GET
  @Path("/{id}/deliveries")
  @Transactional
  @Operation(
      summary =
          "The webhook's deliveries, newest first: what each was about, how its last attempt"
              + " went (status, error), whether it arrived and when it is tried next")
  public Page<DeliveryView> deliveries(
      @PathParam("org") String org,
      @PathParam("id") UUID id,
      @jakarta.ws.rs.QueryParam("limit")
          @jakarta.ws.rs.DefaultValue("50")
          @jakarta.validation.constraints.Min(1)
          @jakarta.validation.constraints.Max(100)
          int limit,
      @jakarta.ws.rs.QueryParam("cursor") @Size(max = 40) @Pattern(regexp = "[0-9]+")
          String cursor) {
    access.require(org, caller.id(), "admin");
    if (Webhook.count("organizationSlug = ?1 and id = ?2", org, id) == 0) {
      throw ProblemException.notFound("No such webhook in '" + org + "'.");
    }
    long before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
    java.util.List<WebhookDelivery> rows =
        WebhookDelivery.<WebhookDelivery>find(
                "webhookId = ?1 and id < ?2 order by id desc", id, before)
            .range(0, limit)
            .list();
    String next = rows.size() > limit ? String.valueOf(rows.get(limit - 1).id) : null;
    return new Page<>(
        rows.stream()
            .limit(limit)
            .map(
                d ->
                    new DeliveryView(
                        d.id,
                        d.eventType,
                        d.createdAt,
                        d.attempts,
                        d.lastAttemptAt,
                        d.lastStatus,
                        d.lastError,
                        d.deliveredAt,
                        d.deliveredAt == null && d.attempts < WebhookDispatcher.MAX_ATTEMPTS
                            ? d.nextAttemptAt
                            : null))
            .toList(),
        next);
  }

  @DELETE
  @Path("/{id}")
  @Transactional
  @Operation(summary = "Unsubscribe")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(@PathParam("org") String org, @PathParam("id") UUID id) {
    access.require(org, caller.id(), "admin");
    long n = Webhook.delete("organizationSlug = ?1 and id = ?2", org, id);
    if (n == 0) {
      throw ProblemException.notFound("No such webhook in '" + org + "'.");
    }
    return Response.noContent().build();
  }
}
