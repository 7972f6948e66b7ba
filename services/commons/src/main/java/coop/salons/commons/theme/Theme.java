package coop.salons.commons.theme;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;

/** One of the hoster's themes; never serialized to the API. */
@Entity
public class Theme extends PanacheEntityBase {

  @Id
  @Column(length = 40)
  public String slug;

  @Column(name = "name_fr", nullable = false, length = 80)
  public String nameFr;

  @Column(name = "name_en", nullable = false, length = 80)
  public String nameEn;

  @Column(name = "description_fr", length = 300)
  public String descriptionFr;

  @Column(name = "description_en", length = 300)
  public String descriptionEn;

  /** Where it stands in the list (the hoster's order). */
  @Column(nullable = false)
  public int position;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  @Version public long version;
}
