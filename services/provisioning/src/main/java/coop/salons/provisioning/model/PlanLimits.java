package coop.salons.provisioning.model;

/**
 * What a plan gives one instance: its ceilings (the namespace's quota and the container's limits)
 * and, from {@link #requests}, what the scheduler reserves for its server.
 */
public record PlanLimits(
    String name, int maxUsers, int storageGb, int cpuMillis, int memoryMib, LoginMode login) {

  /**
   * The memory a small Synapse needs, measured (docs/benchmarks.md, "Density"): its peak while two
   * members chat, 128 MiB resident, plus about a tenth.
   */
  public static final int SYNAPSE_MEMORY_MIB = 140;

  /**
   * The processor a Synapse is guaranteed at least: about four times what a small one uses idle
   * (6.5 millicores measured); it bursts up to its limit while members are busy.
   */
  public static final int SYNAPSE_CPU_MILLIS = 25;

  /** What the scheduler reserves for an instance's server (its container's requests). */
  public record Requests(int cpuMillis, int memoryMib) {}

  /**
   * The requests of a server of this plan. A Matrix server's come from measurement and grow with
   * the plan (an eighth of its memory, a twentieth of its processor) so that a small association
   * does not hold a node's memory it never uses: about 100 fit a 16 GiB node instead of 28. A
   * Mattermost server's are half the plan's, as before, until one is measured (none runs here).
   */
  public Requests requests(Flavour flavour) {
    int cpu =
        flavour == Flavour.MATRIX ? Math.max(SYNAPSE_CPU_MILLIS, cpuMillis / 20) : cpuMillis / 2;
    int memory =
        flavour == Flavour.MATRIX ? Math.max(SYNAPSE_MEMORY_MIB, memoryMib / 8) : memoryMib / 2;
    return new Requests(Math.min(cpu, cpuMillis), Math.min(memory, memoryMib));
  }
}
