package coop.salons.identity.automation;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.OffsetDateTime;
import java.util.UUID;

/** What the automation clients API reads and answers. */
public final class AutomationDtos {

  private AutomationDtos() {}

  /** A name a person recognises (what the script does), and the role it acts with. */
  public record CreateClient(
      @NotNull
          @Pattern(
              regexp = "^[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,59}$",
              message = "must be 1-60 letters, digits, spaces, dots, dashes or underscores")
          String name,
      @Pattern(regexp = "^(member|admin)$", message = "must be member or admin") String role) {

    String roleOrDefault() {
      return role == null ? "member" : role;
    }
  }

  /** A client as listed: never its secret; when it last obtained a token. */
  public record ClientView(
      UUID id,
      String name,
      String role,
      String clientId,
      OffsetDateTime createdAt,
      OffsetDateTime lastUsedAt) {}

  /** The answer that carries a secret: at creation and at rotation only. */
  public record ClientSecret(UUID id, String clientId, String secret, String tokenUrl) {}
}
