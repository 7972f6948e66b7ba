package coop.salons.portal.preference;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** What the portal remembers of a signed-in user. */
@Entity
@Table(name = "user_preference")
public class UserPreference extends PanacheEntityBase {

  @Id
  @Column(length = 64)
  public String subject;

  @Column(nullable = false, length = 5)
  public String locale;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
