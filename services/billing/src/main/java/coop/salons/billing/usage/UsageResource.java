package coop.salons.billing.usage;

import coop.salons.billing.usage.UsageSamples.Ingested;
import coop.salons.billing.usage.UsageSamples.Sample;
import coop.salons.common.security.ServiceCallers;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Hourly usage samples from the platform's services. */
@Path("/api/v1/usage-samples")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "usage")
public class UsageResource {

  static final Set<String> SENDERS = Set.of("salons-provisioning", "salons-identity");

  @Inject UsageSamples samples;
  @Inject JsonWebToken token;

  /** A batch of samples. */
  public record Batch(@NotNull List<Sample> samples) {}

  @POST
  @Operation(
      summary = "Send up to 10,000 hourly samples (platform services only)",
      description =
          "The batch is checked whole; one bad sample refuses it and nothing is stored. A sample"
              + " for an organisation, instance and hour already stored counts once (the first"
              + " stays). Hours must be whole, not in the future, within 400 days.")
  public Ingested ingest(@NotNull Batch batch) {
    ServiceCallers.require(token, SENDERS, "send usage samples");
    return samples.ingest(batch.samples(), Instant.now());
  }
}
