package coop.salons.provisioning.instance;

import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.model.PlanLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.TreeSet;

/** The plans' limits (configuration; billing owns their prices, see docs/adr/0008). */
@ApplicationScoped
public class Plans {

  @Inject ProvisioningConfig config;

  /** The plan new instances get when none is asked for. */
  public static final String DEFAULT = "small";

  public PlanLimits require(String name) {
    ProvisioningConfig.Plan p = config.plans().get(name);
    if (p == null) {
      throw ProblemException.invalid(
          "plan",
          "is not a plan of this platform (plans: " + new TreeSet<>(config.plans().keySet()) + ")");
    }
    LoginMode login =
        LoginMode.of(p.mattermostLogin())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "salons.provisioning.plans." + name + ".mattermost-login is not a mode"));
    return new PlanLimits(name, p.maxUsers(), p.storageGb(), p.cpuMillis(), p.memoryMib(), login);
  }
}
