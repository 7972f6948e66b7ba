package coop.salons.commons.room;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A room of the commons server: its desired state ({@code requested}, {@code open}, {@code
 * archiving}, {@code archived}) and what the server answered. Never serialized to the API.
 */
@Entity
public class Room extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "theme_slug", nullable = false, length = 40)
  public String themeSlug;

  /** The alias's local part: {@code #<alias>:<commons server>}. */
  @Column(nullable = false, length = 60)
  public String alias;

  @Column(nullable = false, length = 80)
  public String name;

  @Column(length = 500)
  public String topic;

  /** The theme's own room (one per theme), rather than one a member opened. */
  @Column(nullable = false)
  public boolean main;

  /** The platform user who opened it (null for a theme's own room). */
  @Column(name = "opened_by", length = 64)
  public String openedBy;

  @Column(nullable = false, length = 20)
  public String state;

  @Column(name = "room_id", length = 255)
  public String roomId;

  /** Joined members, as the server's public directory last said. */
  @Column(nullable = false)
  public int members;

  /** Why the server has not done what was asked yet. */
  @Column(length = 1000)
  public String reason;

  @Column(nullable = false)
  public int attempts;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  @Column(name = "archived_at")
  public OffsetDateTime archivedAt;

  @Version public long version;
}
