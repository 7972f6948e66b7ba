package coop.salons.provisioning.model;

/** A libpq password file line: the database password reaches the server only through a file. */
final class PgPass {

  private PgPass() {}

  static String line(InstanceSpec.Database db, String password) {
    return String.join(
            ":",
            escape(db.host()),
            String.valueOf(db.port()),
            escape(db.name()),
            escape(db.user()),
            escape(password))
        + "\n";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace(":", "\\:");
  }
}
