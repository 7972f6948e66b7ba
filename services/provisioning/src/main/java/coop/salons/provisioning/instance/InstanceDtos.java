package coop.salons.provisioning.instance;

import coop.salons.common.api.Domains;
import coop.salons.common.api.Slugs;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the instances API reads and writes. */
public final class InstanceDtos {

  static final String SLUG = Slugs.PATTERN;
  static final String SLUG_MESSAGE =
      "must be 3 to 40 lower-case letters, digits or inner hyphens, starting with a letter";
  static final String TEXT = "^[^\\p{Cntrl}]*$";
  static final String TEXT_MESSAGE = "must not contain control characters";
  static final String FLAVOUR = "^(matrix|mattermost)$";
  static final String FEDERATION = "^(open|platform-only|off)$";
  static final String PLAN = "^[a-z][a-z0-9-]{0,39}$";
  static final String VERSION = "^[0-9]{1,4}\\.[0-9]{1,4}\\.[0-9]{1,4}$";
  static final String VERSION_MESSAGE = "must be a release number such as 1.163.2";

  private InstanceDtos() {}

  /** A new chat instance. */
  public record CreateInstance(
      @NotNull @Pattern(regexp = SLUG, message = SLUG_MESSAGE) String slug,
      @NotNull @Pattern(regexp = FLAVOUR, message = "must be matrix or mattermost") String flavour,
      @Size(max = 100) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String displayName,
      @Pattern(regexp = PLAN, message = "must be a plan name") String plan,
      @Pattern(regexp = VERSION, message = VERSION_MESSAGE) String version,
      @Pattern(regexp = Domains.PATTERN, message = Domains.MESSAGE) String customDomain,
      @Pattern(regexp = FEDERATION, message = "must be open, platform-only or off")
          String federation,
      @Min(0) @Max(36500) Integer retentionDays,
      @Min(0) @Max(36500) Integer mediaRetentionDays) {}

  /** The fields an owner or admin may change; absent fields stay as they are. */
  public record UpdateInstance(
      @Size(max = 100) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String displayName,
      @Pattern(regexp = PLAN, message = "must be a plan name") String plan,
      @Pattern(regexp = VERSION, message = VERSION_MESSAGE) String version,
      @Pattern(regexp = FEDERATION, message = "must be open, platform-only or off")
          String federation,
      @Min(0) @Max(36500) Integer retentionDays,
      @Min(0) @Max(36500) Integer mediaRetentionDays) {}

  /** A status condition, as in Kubernetes: its time changes only when its status changes. */
  public record Condition(
      String type,
      String status,
      String reason,
      String message,
      long observedGeneration,
      OffsetDateTime lastTransitionTime) {}

  /** One step the supervisor took. */
  public record StepView(
      String name,
      String outcome,
      String detail,
      long generation,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt) {}

  /** An instance as its organisation sees it; never a secret. */
  /**
   * The TXT record that proves a custom domain is the organisation's: its name, the text it must
   * hold, and when DNS first showed it (null while not proven).
   */
  public record DomainProof(String record, String value, OffsetDateTime provenAt) {}

  /**
   * An instance as its organisation sees it; never a secret. {@code signIn}, Matrix only: {@code
   * mas} (the Matrix Authentication Service, every app including Element X) or {@code sso}
   * (Synapse's own single sign-on: Element Web and the older apps; docs/adr/0038).
   */
  public record InstanceView(
      UUID id,
      String organization,
      String slug,
      String displayName,
      String flavour,
      String version,
      String plan,
      String customDomain,
      String dnsTarget,
      DomainProof domainProof,
      String federation,
      int retentionDays,
      int mediaRetentionDays,
      String login,
      String signIn,
      String state,
      String desiredState,
      String url,
      String webClient,
      String reason,
      long generation,
      long observedGeneration,
      List<Condition> conditions,
      OffsetDateTime deletionScheduledAt,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      List<StepView> steps,
      long resourceVersion) {}
}
