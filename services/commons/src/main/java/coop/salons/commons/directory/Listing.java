package coop.salons.commons.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A room in the directory of the commons: one an association's admin published from its server's
 * public room list, or a room of the commons server. {@code listed} while its server lists it;
 * {@code gone} when the server stopped listing it (or its topic asks {@code noindex}); {@code
 * unpublished} by the association; {@code hidden} by the hoster. Never serialized to the API.
 */
@Entity
public class Listing extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "organization_slug", length = 40)
  public String organizationSlug;

  @Column(name = "commons_room_id")
  public UUID commonsRoomId;

  @Column(name = "server_name", nullable = false, length = 255)
  public String serverName;

  @Column(name = "room_id", nullable = false, length = 255)
  public String roomId;

  @Column(length = 255)
  public String alias;

  @Column(nullable = false, length = 255)
  public String name;

  @Column(length = 1000)
  public String topic;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "varchar(40)[]")
  public String[] themes;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "varchar(40)[]")
  public String[] tags;

  @Column(name = "theme_words", nullable = false, length = 2000)
  public String themeWords;

  @Column(name = "description_fr", length = 500)
  public String descriptionFr;

  @Column(name = "description_en", length = 500)
  public String descriptionEn;

  @Column(nullable = false, length = 5)
  public String language;

  @Column(nullable = false, length = 20)
  public String state;

  @Column(length = 1000)
  public String reason;

  @Column(nullable = false)
  public int members;

  @Column(nullable = false)
  public int growth;

  @Column(name = "published_by", length = 64)
  public String publishedBy;

  @Column(name = "published_at", nullable = false)
  public OffsetDateTime publishedAt;

  @Column(name = "seen_at", nullable = false)
  public OffsetDateTime seenAt;

  @Column(name = "changed_at", nullable = false)
  public OffsetDateTime changedAt;

  @Version public long version;
}
