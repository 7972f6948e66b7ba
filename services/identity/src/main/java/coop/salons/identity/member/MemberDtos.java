package coop.salons.identity.member;

import coop.salons.identity.model.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** What the members API reads and writes. */
public final class MemberDtos {

  static final String ROLE_PATTERN = "^(owner|admin|member)$";
  static final String ROLE_MESSAGE = "must be owner, admin or member";

  private MemberDtos() {}

  /**
   * Add someone by email: a user of the platform joins at once; anyone else gets Keycloak's
   * invitation email.
   */
  public record AddMember(
      @NotBlank @Email @Size(max = 254) String email,
      @Pattern(regexp = ROLE_PATTERN, message = ROLE_MESSAGE) String role) {

    public Role roleOrDefault() {
      return role == null ? Role.MEMBER : Role.parse(role).orElseThrow();
    }
  }

  public record ChangeRole(
      @NotNull @Pattern(regexp = ROLE_PATTERN, message = ROLE_MESSAGE) String role) {}

  public record MemberView(
      String userId, String username, String email, String role, OffsetDateTime joinedAt) {}

  /** An invitation sent to an email that has no account yet. */
  public record InvitationView(String email, String status) {}
}
