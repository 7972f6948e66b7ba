package coop.salons.common.api;

import java.util.List;
import java.util.Map;

/**
 * A refusal the services raise on purpose: it becomes a problem document with this status, kind and
 * detail. Use the factory methods so that one kind of problem always has one slug and title.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final List<Problem.Violation> violations;
  private final Map<String, Object> extensions;

  public ProblemException(
      int status, String slug, String title, String detail, List<Problem.Violation> violations) {
    this(status, slug, title, detail, violations, Map.of());
  }

  /**
   * A refusal with RFC 9457 extension members: values a script acts upon (which quota, by how
   * much), written at the top level of the problem document beside {@code detail}.
   */
  public ProblemException(
      int status,
      String slug,
      String title,
      String detail,
      List<Problem.Violation> violations,
      Map<String, Object> extensions) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.violations = violations == null ? List.of() : List.copyOf(violations);
    this.extensions = Map.copyOf(extensions);
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "bad-request", "Bad request", detail, List.of());
  }

  /** A validation failure found by code rather than by a Bean Validation constraint. */
  public static ProblemException invalid(String field, String message) {
    return new ProblemException(
        400,
        "validation",
        "Invalid request",
        "The request has invalid fields.",
        List.of(new Problem.Violation(field, message)));
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail, List.of());
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "forbidden", "Forbidden", detail, List.of());
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "conflict", "Conflict", detail, List.of());
  }

  /** A dependency of this service did not answer: 503, with a kind of its own. */
  public static ProblemException unavailable(String slug, String title, String detail) {
    return new ProblemException(503, slug, title, detail, List.of());
  }

  /**
   * A refusal another Salons service answered, passed on as it is: its status, kind, title, detail
   * and extension members (e.g. which quota, by how much).
   */
  @SuppressWarnings("unchecked")
  public static ProblemException relayed(jakarta.ws.rs.core.Response answer) {
    Map<String, Object> problem;
    try {
      problem = answer.readEntity(Map.class);
    } catch (RuntimeException unreadable) {
      problem = Map.of();
    }
    return relayed(answer.getStatus(), problem);
  }

  /** The same, from a problem document another service gave inside an answer (a batch's part). */
  public static ProblemException relayed(int status, Map<String, Object> problem) {
    String type = String.valueOf(problem.getOrDefault("type", ""));
    String prefix = Problem.type("");
    String slug = type.startsWith(prefix) ? type.substring(prefix.length()) : "upstream";
    Map<String, Object> extensions = new java.util.HashMap<>();
    problem.forEach(
        (k, v) -> {
          if (v != null && !STANDARD_MEMBERS.contains(k)) {
            extensions.put(k, v);
          }
        });
    return new ProblemException(
        status,
        slug,
        String.valueOf(problem.getOrDefault("title", "Refused")),
        String.valueOf(problem.getOrDefault("detail", "HTTP " + status)),
        List.of(),
        extensions);
  }

  /**
   * The problem document: type, title, status, detail, violations if any, then the extension
   * members (in name order), as every Salons service writes it.
   */
  public Object document() {
    Problem problem =
        new Problem(
            Problem.type(slug),
            title,
            status,
            getMessage(),
            null,
            violations.isEmpty() ? null : violations);
    if (extensions.isEmpty()) {
      return problem;
    }
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("type", problem.type());
    body.put("title", problem.title());
    body.put("status", problem.status());
    body.put("detail", problem.detail());
    if (problem.violations() != null) {
      body.put("violations", problem.violations());
    }
    new java.util.TreeMap<>(extensions).forEach(body::putIfAbsent);
    return body;
  }

  private static final java.util.Set<String> STANDARD_MEMBERS =
      java.util.Set.of(
          "type", "title", "status", "detail", "correlationId", "violations", "instance");

  public static ProblemException preconditionFailed(String detail) {
    return new ProblemException(
        412, "precondition-failed", "Precondition failed", detail, List.of());
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<Problem.Violation> violations() {
    return violations;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
