package coop.salons.provisioning.membership;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A member of an organisation and their role, as identity's membership feed tells it. */
@Entity
@Table(name = "organization_member")
@IdClass(OrganizationMember.Key.class)
public class OrganizationMember extends PanacheEntityBase {

  @Id
  @Column(name = "organization_slug", length = 40)
  public String organizationSlug;

  @Id
  @Column(name = "user_id", length = 64)
  public String userId;

  @Column(nullable = false, length = 10)
  public String role;

  public static OrganizationMember find(String organization, String userId) {
    return find("organizationSlug = ?1 and userId = ?2", organization, userId).firstResult();
  }

  /** The composite key. */
  public static class Key implements Serializable {
    public String organizationSlug;
    public String userId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(organizationSlug, k.organizationSlug)
          && Objects.equals(userId, k.userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(organizationSlug, userId);
    }
  }
}
