package coop.salons.commons.directory;

import coop.salons.common.api.Slugs;
import coop.salons.commons.theme.ThemeDtos;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the directory API reads and writes. */
public final class DirectoryDtos {

  private DirectoryDtos() {}

  /**
   * A Matrix room id ({@code !opaque}, with {@code :server} before room version 12) or alias
   * ({@code #local:server}).
   */
  public static final String ROOM =
      "^(![A-Za-z0-9._=\\-/+]{1,255}(:[A-Za-z0-9.\\-]{1,200}(:[0-9]{1,5})?)?"
          + "|#[^:\\s#]{1,200}:[A-Za-z0-9.\\-]{1,200}(:[0-9]{1,5})?)$";

  /** A free tag: lower-case words joined by dashes. */
  public static final String TAG = "^[a-z0-9\\p{IsLatin}][a-z0-9\\p{IsLatin}-]{0,39}$";

  /**
   * An organisation's admin publishes a room of its own server's public room list.
   *
   * @param room the room's id or alias on the organisation's server
   * @param themes one to three of the hoster's themes
   * @param tags up to five free tags
   * @param descriptionFr a short description in French (one of the two at least)
   * @param descriptionEn a short description in English
   * @param language the language spoken in the room: {@code fr}, {@code en} or {@code fr-en}
   */
  public record Publish(
      @NotNull @Pattern(regexp = ROOM, message = "must be a Matrix room id or alias") String room,
      @NotEmpty @Size(max = 3)
          List<@NotNull @Pattern(regexp = Slugs.PATTERN, message = ThemeDtos.SLUG_MESSAGE) String>
              themes,
      @Size(max = 5)
          List<
                  @NotNull
                  @Pattern(regexp = TAG, message = "must be lower-case words joined by dashes")
                  String>
              tags,
      @Size(max = 500) @Pattern(regexp = ThemeDtos.TEXT, message = ThemeDtos.TEXT_MESSAGE)
          String descriptionFr,
      @Size(max = 500) @Pattern(regexp = ThemeDtos.TEXT, message = ThemeDtos.TEXT_MESSAGE)
          String descriptionEn,
      @NotNull @Pattern(regexp = "^(fr|en|fr-en)$", message = "must be fr, en or fr-en")
          String language) {}

  /** A reason given by a person reporting a listing, or by the hoster hiding one. */
  public record Reason(
      @NotBlank
          @Size(max = 1000)
          @Pattern(regexp = ThemeDtos.TEXT, message = ThemeDtos.TEXT_MESSAGE)
          String reason) {}

  /**
   * A room of the directory as everyone sees it, with the ways in.
   *
   * @param organization the association that published it (null for a room of the commons server)
   * @param address its alias, or its id when it has none
   * @param matrixTo a link that opens it in any Matrix client
   * @param members joined members when its server last listed it
   * @param growth joined members gained over the last 7 days
   * @param stale whether its server did not answer the last refresh (the figures may be old)
   */
  public record ListingView(
      UUID id,
      @Schema(nullable = true) String organization,
      String serverName,
      String roomId,
      String address,
      String matrixTo,
      String name,
      @Schema(nullable = true) String topic,
      List<String> themes,
      List<String> tags,
      @Schema(nullable = true) String descriptionFr,
      @Schema(nullable = true) String descriptionEn,
      String language,
      String state,
      @Schema(nullable = true) String reason,
      int members,
      int growth,
      boolean stale,
      OffsetDateTime publishedAt) {}

  /**
   * A room of the organisation's server's public room list, that its admins may publish.
   *
   * @param listed whether it is in the directory already (its listing's id then)
   * @param noindex whether its topic asks not to be listed (then it cannot be)
   */
  public record Candidate(
      String serverName,
      String roomId,
      @Schema(nullable = true) String alias,
      @Schema(nullable = true) String name,
      @Schema(nullable = true) String topic,
      int members,
      boolean noindex,
      @Schema(nullable = true) UUID listed) {}

  /** An organisation working on some of the same themes, with the rooms it lists. */
  public record Neighbour(String organization, List<String> sharedThemes, int listedRooms) {}

  /**
   * A report in the hoster's queue.
   *
   * @param listing the listing reported
   */
  public record ReportView(
      UUID id,
      ListingView listing,
      String reason,
      OffsetDateTime createdAt,
      @Schema(nullable = true) OffsetDateTime resolvedAt,
      @Schema(nullable = true) String resolution) {}

  /**
   * The commons in figures: per theme, the rooms listed, the organisations listing them and their
   * joined members; and the rooms listed at the end of each of the last 8 weeks.
   */
  public record Stats(List<ThemeFigures> themes, List<WeekFigures> weeks) {}

  /** One theme's figures. */
  public record ThemeFigures(String theme, int rooms, int organizations, long members) {}

  /** The rooms listed at the end of a week (its Monday). */
  public record WeekFigures(java.time.LocalDate week, int rooms) {}
}
