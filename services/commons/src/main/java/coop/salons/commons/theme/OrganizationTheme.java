package coop.salons.commons.theme;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A theme an organisation works on. */
@Entity
@Table(name = "organization_theme")
@IdClass(OrganizationTheme.Key.class)
public class OrganizationTheme extends PanacheEntityBase {

  @Id
  @Column(name = "organization_slug", length = 40)
  public String organizationSlug;

  @Id
  @Column(name = "theme_slug", length = 40)
  public String themeSlug;

  /** When the organisation chose it (news for the others in the weekly digest). */
  @jakarta.persistence.Column(name = "chosen_at", nullable = false)
  public java.time.OffsetDateTime chosenAt;

  /** The composite key. */
  public static class Key implements Serializable {
    public String organizationSlug;
    public String themeSlug;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(organizationSlug, k.organizationSlug)
          && Objects.equals(themeSlug, k.themeSlug);
    }

    @Override
    public int hashCode() {
      return Objects.hash(organizationSlug, themeSlug);
    }
  }
}
