package coop.salons.identity.quota;

import coop.salons.common.security.Hoster;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Reconciling members' claims in billing now rather than at the next run (every 10 minutes): for
 * the hoster's operators, after billing was away for a while.
 */
@Path("/api/v1/quota-reconciliations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "organizations")
public class QuotaReconcileResource {

  @Inject Quotas quotas;
  @Inject Hoster hoster;

  @POST
  @Operation(
      summary =
          "Bring billing's members claims in step with membership now (operators): release"
              + " settled claims of non-members, claim for members without one")
  public Quotas.Reconciled reconcile() {
    hoster.require("reconcile quotas");
    return quotas.reconcile(OffsetDateTime.now());
  }
}
