package coop.salons.portal.api;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;

/** The platform's merged OpenAPI document, public as each service's own is. */
@Path("/openapi.json")
@PermitAll
public class ApiDocumentResource {

  private static final Logger LOG = Logger.getLogger(ApiDocumentResource.class);

  @Inject ApiDocument document;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response get() {
    try {
      return Response.ok(document.current()).build();
    } catch (java.io.IOException e) {
      LOG.warnf("The merged OpenAPI could not be made: %s", e.getMessage());
      return unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable();
    }
  }

  private static Response unavailable() {
    return Response.status(503)
        .type("application/problem+json")
        .entity(
            Map.of(
                "type", "urn:salons:problem:unavailable",
                "title", "Unavailable",
                "status", 503,
                "detail", "A service of the platform did not answer; try again in a minute."))
        .header("Retry-After", "60")
        .build();
  }
}
