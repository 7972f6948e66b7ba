package coop.salons.provisioning.instance;

import coop.salons.provisioning.instance.InstanceDtos.CreateInstance;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.model.PlanLimits;
import java.util.UUID;

/** A creation checked against the plans and the versions, waiting to be claimed and written. */
public record Creation(
    String org,
    UUID id,
    CreateInstance request,
    Flavour flavour,
    String planName,
    PlanLimits plan,
    String version,
    LoginMode login) {}
