package coop.salons.portal;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The refusals a service's problem+json answer lists, as lines a person can read. */
public final class Problems {

  private Problems() {}

  @SuppressWarnings("unchecked")
  public static List<String> lines(WebApplicationException e) {
    List<String> lines = new ArrayList<>();
    try {
      Map<String, Object> problem = e.getResponse().readEntity(Map.class);
      Object violations = problem.get("violations");
      if (violations instanceof List<?> list && !list.isEmpty()) {
        for (Object v : list) {
          Map<String, Object> violation = (Map<String, Object>) v;
          lines.add(violation.get("field") + ": " + violation.get("message"));
        }
      } else if (problem.get("detail") != null) {
        lines.add(String.valueOf(problem.get("detail")));
      }
    } catch (RuntimeException unreadable) {
      lines.add("HTTP " + e.getResponse().getStatus());
    }
    return lines;
  }

  /**
   * A form page shown again with a service's refusal as lines: 400 for the person's mistake, 502
   * when the service itself failed.
   */
  public static Response shownAgain(
      WebApplicationException e, Function<List<String>, ?> pageWithErrors) {
    int status = e.getResponse().getStatus() >= 500 ? 502 : 400;
    return Response.status(status).entity(pageWithErrors.apply(lines(e))).build();
  }

  /** A form value without surrounding blanks; empty for none. */
  public static String trim(String s) {
    return s == null ? "" : s.strip();
  }
}
