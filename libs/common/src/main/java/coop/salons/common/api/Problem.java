package coop.salons.common.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error answer of every Salons service ({@code
 * application/problem+json}).
 *
 * @param type a URI naming the kind of problem ({@code urn:salons:problem:<slug>})
 * @param title a short, human-readable summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong with this request, in words a script author can act upon
 * @param correlationId the id to quote to an operator; the server logs it with the cause
 * @param violations for a validation error, each field that was refused and why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String correlationId,
    List<Violation> violations) {

  /** The media type of a problem document. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** The URI of a kind of problem. */
  public static String type(String slug) {
    return "urn:salons:problem:" + slug;
  }

  /** A refused field: its path in the request (a JSON path, or a query or path parameter). */
  public record Violation(String field, String message) {}
}
