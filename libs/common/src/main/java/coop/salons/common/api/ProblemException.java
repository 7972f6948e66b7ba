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
