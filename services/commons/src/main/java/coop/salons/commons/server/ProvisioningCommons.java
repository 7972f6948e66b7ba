package coop.salons.commons.server;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Provisioning's public answer to "where is the commons server". */
@Path("/api/v1/commons/server")
@RegisterRestClient(configKey = "provisioning")
@Produces(MediaType.APPLICATION_JSON)
public interface ProvisioningCommons {

  /** The commons server as provisioning tells it. */
  record Server(String serverName, String url, String state, String host) {}

  @GET
  Server get();
}
