package coop.salons.commons.theme;

import coop.salons.common.api.Slugs;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the themes API reads and writes. */
public final class ThemeDtos {

  /** Text shown to people and sent to the Matrix server: no control character, no markup. */
  public static final String TEXT = "^[^\\p{Cntrl}<>]*$";

  public static final String TEXT_MESSAGE = "must not contain control characters, '<' or '>'";
  public static final String SLUG_MESSAGE =
      "must be 3 to 40 lower-case letters, digits or inner hyphens, starting with a letter";

  private ThemeDtos() {}

  /** A new theme (the hoster's operators). */
  public record CreateTheme(
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = SLUG_MESSAGE) String slug,
      @NotBlank @Size(max = 80) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String nameFr,
      @NotBlank @Size(max = 80) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String nameEn,
      @Size(max = 300) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String descriptionFr,
      @Size(max = 300) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String descriptionEn) {}

  /** A theme's new names or descriptions; absent fields stay as they are. */
  public record UpdateTheme(
      @Size(min = 1, max = 80) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String nameFr,
      @Size(min = 1, max = 80) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String nameEn,
      @Size(max = 300) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String descriptionFr,
      @Size(max = 300) @Pattern(regexp = TEXT, message = TEXT_MESSAGE) String descriptionEn) {}

  /** A theme as everyone sees it (its rooms: {@code GET /api/v1/commons/rooms?theme=}). */
  public record ThemeView(
      String slug,
      String nameFr,
      String nameEn,
      @Schema(nullable = true) String descriptionFr,
      @Schema(nullable = true) String descriptionEn,
      int position) {

    static ThemeView of(Theme t) {
      return new ThemeView(
          t.slug, t.nameFr, t.nameEn, t.descriptionFr, t.descriptionEn, t.position);
    }
  }

  /** The themes an organisation works on. */
  public record OrganizationThemes(@NotNull @Size(max = 50) List<@NotNull String> themes) {}
}
