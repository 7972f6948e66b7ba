package coop.salons.identity.organization;

import coop.salons.common.api.Slugs;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** What the organisations API reads and writes. */
public final class OrganizationDtos {

  static final String NAME_PATTERN = "^[^\\p{Cntrl}]*$";
  static final String NAME_MESSAGE = "must not contain control characters";
  static final String SLUG_MESSAGE =
      "must be 3 to 40 lower-case letters, digits or inner hyphens, starting with a letter";

  private OrganizationDtos() {}

  /** A new organisation: its slug (in URLs and DNS names, never changes) and its name. */
  public record CreateOrganization(
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = SLUG_MESSAGE) String slug,
      @NotBlank @Size(max = 200) @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE)
          String name) {}

  /** The fields an admin may change. */
  public record UpdateOrganization(
      @NotBlank @Size(max = 200) @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE)
          String name) {}

  /** An organisation as one of its members sees it. */
  public record OrganizationView(
      String slug,
      String name,
      String role,
      long memberCount,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      OffsetDateTime deletionScheduledAt,
      long version) {}
}
