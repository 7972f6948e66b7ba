package coop.salons.identity.organization;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The final backup of a deleted organisation: its last state and members, as JSON. */
@Entity
@Table(name = "organization_archive")
public class OrganizationArchive extends PanacheEntityBase {

  @Id public UUID id;

  @Column(nullable = false, length = 40)
  public String slug;

  @Column(name = "archived_at", nullable = false)
  public OffsetDateTime archivedAt;

  @Column(nullable = false, columnDefinition = "text")
  public String snapshot;
}
