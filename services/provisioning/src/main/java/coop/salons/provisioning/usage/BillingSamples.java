package coop.salons.provisioning.usage;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Billing's usage ingestion, called with this service's own service-account token. */
@Path("/api/v1/usage-samples")
@RegisterRestClient(configKey = "billing")
@OidcClientFilter
public interface BillingSamples {

  /** One hour of one instance's use. */
  record Sample(
      String organization,
      UUID instanceId,
      OffsetDateTime hour,
      int cpuMillicores,
      int memoryMib,
      long storageMib,
      int activeMembers) {}

  record Batch(List<Sample> samples) {}

  record Ingested(int received, int stored, int duplicates) {}

  @POST
  Ingested send(Batch batch);
}
