package coop.salons.portal.instance;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * An exit bundle through the portal's own address (docs/adr/0033): the signed link provisioning
 * made, fetched from provisioning and passed on as it comes, so that the link works wherever the
 * portal does, with no sign-in (the link is the permission, and it expires). An expired link is a
 * page saying so.
 */
@Path(ExitBundleDownload.PATH)
@PermitAll
public class ExitBundleDownload {

  static final String PATH = "/exit-bundles";

  /** A link's shape: backup, expiry, signature; anything else is not forwarded. */
  private static final Pattern TOKEN =
      Pattern.compile(
          "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.[0-9]{1,12}\\.[A-Za-z0-9_-]{43}$");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Provisioning's address, as the portal's client for it has it. */
  @ConfigProperty(name = "quarkus.rest-client.provisioning.url")
  String provisioningUrl;

  @GET
  @Path("/{token}")
  @Operation(hidden = true)
  public Response download(@PathParam("token") String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new WebApplicationException(404);
    }
    HttpResponse<InputStream> answer;
    try {
      answer =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          provisioningUrl.replaceAll("/+$", "") + "/api/v1/exit-bundles/" + token))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new WebApplicationException(502);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WebApplicationException(503);
    }
    if (answer.statusCode() != 200) {
      try (InputStream ignored = answer.body()) {
        // closed: nothing of a refusal is passed on but its status
      } catch (IOException ignored) {
        // nothing to do
      }
      int status = answer.statusCode();
      throw new WebApplicationException(status == 404 || status == 410 ? status : 502);
    }
    InputStream body = answer.body();
    StreamingOutput out =
        o -> {
          try (InputStream in = body) {
            in.transferTo(o);
          }
        };
    return Response.ok(out, "application/x-tar")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            answer.headers().firstValue("Content-Disposition").orElse("attachment"))
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }
}
