package coop.salons.common.boot;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** Turns a failed start into one sentence that names the setting an operator has to fix. */
public final class StartupFailure {

  private StartupFailure() {}

  public static String explain(Throwable failure) {
    StartupCheckException check = find(failure, StartupCheckException.class);
    if (check != null) {
      return "Salons cannot start: " + check.getMessage();
    }
    Throwable sql = findByName(failure, "org.postgresql.util.PSQLException");
    if (sql == null) {
      sql = find(failure, java.sql.SQLException.class);
    }
    if (sql != null) {
      return "Salons cannot start: the database at "
          + setting("quarkus.datasource.jdbc.url")
          + " refused the connection ("
          + firstLine(rootCause(sql).getMessage())
          + "). Check the setting quarkus.datasource.jdbc.url (environment variable"
          + " QUARKUS_DATASOURCE_JDBC_URL) and the credentials quarkus.datasource.username and"
          + " quarkus.datasource.password.";
    }
    Throwable root = rootCause(failure);
    if (root instanceof ConnectException || root instanceof UnknownHostException) {
      return "Salons cannot start: a server it needs is unreachable ("
          + firstLine(root.getMessage())
          + "). Check quarkus.datasource.jdbc.url and quarkus.oidc.auth-server-url.";
    }
    return "Salons cannot start: "
        + firstLine(root.getMessage() == null ? root.toString() : root.getMessage())
        + " (set SALONS_DEBUG=true to print the full stack trace).";
  }

  private static String setting(String key) {
    try {
      Optional<String> value = ConfigProvider.getConfig().getOptionalValue(key, String.class);
      return value.orElse("(" + key + " is not set)");
    } catch (RuntimeException e) {
      return "(" + key + ")";
    }
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static Throwable findByName(Throwable failure, String className) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getName().equals(className)) {
        return t;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
