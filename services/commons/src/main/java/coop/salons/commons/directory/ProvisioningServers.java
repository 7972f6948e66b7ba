package coop.salons.commons.directory;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Provisioning's list of the associations' Matrix servers (for this service's account only). */
@Path("/api/v1/commons/matrix-servers")
@RegisterRestClient(configKey = "provisioning")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
public interface ProvisioningServers {

  /** One association's Matrix server. */
  record MatrixServer(
      String organization, String instance, String serverName, String url, String state) {}

  @GET
  List<MatrixServer> list();
}
