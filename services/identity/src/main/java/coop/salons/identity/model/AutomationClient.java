package coop.salons.identity.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An organisation's automation client: a client of the realm acting for it with a role. */
@Entity
@Table(name = "automation_client")
public class AutomationClient extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "organization_id", nullable = false)
  public UUID organizationId;

  @Column(nullable = false, length = 60)
  public String name;

  @Column(name = "client_id", nullable = false, length = 80)
  public String clientId;

  @Column(name = "keycloak_id", nullable = false, length = 64)
  public String keycloakId;

  @Column(name = "user_id", nullable = false, length = 64)
  public String userId;

  @Column(nullable = false, length = 10)
  public String role;

  @Column(name = "created_by", nullable = false, length = 64)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;
}
