package coop.salons.commons.room;

import coop.salons.common.api.Slugs;
import coop.salons.commons.theme.ThemeDtos;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the rooms API reads and writes. */
public final class RoomDtos {

  private RoomDtos() {}

  /** A room a member opens on the commons server, under one of the hoster's themes. */
  public record OpenRoom(
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = ThemeDtos.SLUG_MESSAGE) String theme,
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = ThemeDtos.SLUG_MESSAGE) String alias,
      @NotBlank @Size(max = 80) @Pattern(regexp = ThemeDtos.TEXT, message = ThemeDtos.TEXT_MESSAGE)
          String name,
      @Size(max = 500) @Pattern(regexp = ThemeDtos.TEXT, message = ThemeDtos.TEXT_MESSAGE)
          String topic) {}

  /**
   * What the caller may do in the commons now.
   *
   * @param canOpenRoom whether a room they open now would be accepted
   * @param member whether they belong to an association the platform hosts
   * @param hoster whether they are one of the hoster's operators (who archive rooms)
   * @param roomsOpenedToday rooms they opened in the last 24 hours
   * @param roomsPerDay the most one person may open in 24 hours
   */
  public record Abilities(
      boolean canOpenRoom, boolean member, boolean hoster, int roomsOpenedToday, int roomsPerDay) {}

  /**
   * A room of the commons server as everyone sees it, with the ways in.
   *
   * @param address the room's alias, {@code #alias:server} (null while the server is unknown)
   * @param matrixTo a link that opens the room in any Matrix client (null likewise)
   * @param members joined members, from the server's public directory
   */
  public record RoomView(
      UUID id,
      String theme,
      String alias,
      @Schema(nullable = true) String address,
      String name,
      @Schema(nullable = true) String topic,
      boolean main,
      String state,
      int members,
      @Schema(nullable = true) String matrixTo,
      @Schema(nullable = true) String reason,
      OffsetDateTime createdAt,
      @Schema(nullable = true) OffsetDateTime archivedAt) {}
}
