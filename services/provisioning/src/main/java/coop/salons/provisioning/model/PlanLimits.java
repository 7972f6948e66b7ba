package coop.salons.provisioning.model;

/** What a plan gives one instance. */
public record PlanLimits(
    String name, int maxUsers, int storageGb, int cpuMillis, int memoryMib, LoginMode login) {}
