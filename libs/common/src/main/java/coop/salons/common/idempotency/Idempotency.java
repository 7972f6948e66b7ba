package coop.salons.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.common.api.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} for creating requests: the first answer is stored and replayed to any
 * request with the same key from the same caller; the same key with another body is refused. Two
 * concurrent requests with one key cannot both act: the second is told to retry.
 *
 * <p>Needs the table {@code idempotency_record} (see a service's Flyway migrations). Plain JDBC, so
 * that services without it do not need the table to validate their entities.
 */
@ApplicationScoped
public class Idempotency {

  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");
  private static final Duration KEEP = Duration.ofHours(24);

  /**
   * How long a claimed key with no stored answer is taken for a request still running: past it, the
   * request is taken to have died between doing its work and storing its answer.
   */
  static final Duration LEASE = Duration.ofMinutes(2);

  @Inject AgroalDataSource dataSource;
  @Inject ObjectMapper json;

  /** The stored answer of a creating request. */
  public record Answer(int status, URI location, Object body) {}

  /**
   * Runs {@code action} once per (scope, key): a replay answers the stored answer. Without a key
   * the action simply runs.
   *
   * @param scope who asks and where (e.g. the caller's subject and the route)
   * @param request what is asked, to tell a replay from a reuse of the key
   */
  public Response run(String scope, String key, Object request, Supplier<Answer> action) {
    return run(scope, key, request, action, Optional::empty);
  }

  /**
   * The same, for work a request may have done before dying without storing its answer: once the
   * key's lease is over, {@code done} looks for that work (the organisation of that slug, owned by
   * the caller; the instance of that slug) and its answer is stored and answered; when it finds
   * none, the action runs in its place. A replay thus answers the work, not "in progress".
   */
  public Response run(
      String scope,
      String key,
      Object request,
      Supplier<Answer> action,
      Supplier<Optional<Answer>> done) {
    if (key == null) {
      return toResponse(action.get());
    }
    if (!KEY.matcher(key).matches()) {
      throw ProblemException.invalid(
          "Idempotency-Key", "must be 1 to 200 printable ASCII characters");
    }
    String fingerprint = fingerprint(request);
    try {
      boolean recovering = false;
      if (!claim(scope, key, fingerprint)) {
        if (!takeOver(scope, key, fingerprint)) {
          return replay(scope, key, fingerprint);
        }
        recovering = true;
      }
      Answer answer;
      try {
        Optional<Answer> found = recovering ? done.get() : Optional.empty();
        answer = found.isPresent() ? found.get() : action.get();
      } catch (RuntimeException e) {
        release(scope, key);
        throw e;
      }
      store(scope, key, answer);
      return toResponse(answer);
    } catch (SQLException e) {
      throw new IllegalStateException("idempotency store failed", e);
    }
  }

  private boolean claim(String scope, String key, String fingerprint) {
    return update(
            "INSERT INTO idempotency_record (scope, idempotency_key, fingerprint, created_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            scope,
            key,
            fingerprint,
            OffsetDateTime.now())
        == 1;
  }

  /** Takes over a claim whose request died before storing its answer (its lease is over). */
  private boolean takeOver(String scope, String key, String fingerprint) {
    OffsetDateTime now = OffsetDateTime.now();
    return update(
            "UPDATE idempotency_record SET created_at = ? WHERE scope = ? AND idempotency_key = ?"
                + " AND fingerprint = ? AND status IS NULL AND created_at < ?",
            now,
            scope,
            key,
            fingerprint,
            now.minus(LEASE))
        == 1;
  }

  private Response replay(String scope, String key, String fingerprint) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT fingerprint, status, location, body FROM idempotency_record"
                    + " WHERE scope = ? AND idempotency_key = ?")) {
      ps.setString(1, scope);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw inProgress();
        }
        if (!rs.getString(1).equals(fingerprint)) {
          throw new ProblemException(
              422,
              "idempotency-key-reused",
              "Idempotency-Key reused",
              "This Idempotency-Key was used for a different request.",
              List.of());
        }
        int status = rs.getInt(2);
        if (rs.wasNull()) {
          throw inProgress();
        }
        Response.ResponseBuilder answer =
            Response.status(status).header("Idempotent-Replayed", "true");
        String location = rs.getString(3);
        if (location != null) {
          answer.location(URI.create(location));
        }
        String body = rs.getString(4);
        if (body != null) {
          answer.entity(body).type(MediaType.APPLICATION_JSON);
        }
        return answer.build();
      }
    }
  }

  private static ProblemException inProgress() {
    return new ProblemException(
        409,
        "idempotency-in-progress",
        "Request in progress",
        "A request with this Idempotency-Key is being handled; retry in a moment.",
        List.of());
  }

  private void store(String scope, String key, Answer answer) {
    try {
      update(
          "UPDATE idempotency_record SET status = ?, location = ?, body = ?"
              + " WHERE scope = ? AND idempotency_key = ?",
          answer.status(),
          answer.location() == null ? null : answer.location().toString(),
          answer.body() == null ? null : json.writeValueAsString(answer.body()),
          scope,
          key);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void release(String scope, String key) {
    update(
        "DELETE FROM idempotency_record WHERE scope = ? AND idempotency_key = ? AND status IS NULL",
        scope,
        key);
  }

  /** Forgets answers older than a day; services call it from a scheduled job. */
  public int expire() {
    return update(
        "DELETE FROM idempotency_record WHERE created_at < ?", OffsetDateTime.now().minus(KEEP));
  }

  /** One statement with its parameters, in its own connection; answers the rows it changed. */
  private int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("idempotency store failed", e);
    }
  }

  private String fingerprint(Object request) {
    try {
      byte[] bytes = json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response toResponse(Answer answer) {
    Response.ResponseBuilder r = Response.status(answer.status());
    if (answer.location() != null) {
      r.location(answer.location());
    }
    if (answer.body() != null) {
      r.entity(answer.body()).type(MediaType.APPLICATION_JSON);
    }
    return r.build();
  }
}
