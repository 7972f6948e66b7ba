package coop.salons.commons.room;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** Something made once on the commons server (the Space), with the server it was made on. */
@Entity
@Table(name = "server_object")
public class ServerObject extends PanacheEntityBase {

  /** The Space that groups the thematic rooms. */
  public static final String SPACE = "space";

  @Id
  @Column(length = 40)
  public String name;

  @Column(nullable = false, length = 255)
  public String server;

  @Column(name = "matrix_id", nullable = false, length = 255)
  public String matrixId;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;
}
