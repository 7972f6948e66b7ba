package coop.salons.common.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where an exception becomes an HTTP answer: always {@code application/problem+json}
 * (RFC 9457). A validation error lists every refused field; an unexpected error is logged with a
 * correlation id and says nothing about internals.
 */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    Response.ResponseBuilder r =
        Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.document());
    if (e instanceof RateLimits.Limited limited) {
      r.header("Retry-After", limited.retryAfterSeconds());
    }
    return r.build();
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e) {
    if (isReturnValueViolation(e)) {
      return unexpected(e);
    }
    List<Problem.Violation> violations =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.Violation(field(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.Violation::field))
            .collect(Collectors.toList());
    return answer(
        new Problem(
            Problem.type("validation"),
            "Invalid request",
            400,
            "The request has " + violations.size() + " invalid field(s).",
            null,
            violations));
  }

  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    return unreadable(e);
  }

  @ServerExceptionMapper
  public Response unparsable(JsonParseException e) {
    return unreadable(e);
  }

  @ServerExceptionMapper
  public Response unreadable(JsonProcessingException e) {
    String field = null;
    String message = "the body is not valid JSON";
    if (e instanceof UnrecognizedPropertyException u) {
      field = u.getPropertyName();
      message = "unknown field";
    } else if (e instanceof InvalidFormatException f) {
      field = jsonPath(f);
      message = "has the wrong type or format";
    } else if (e instanceof MismatchedInputException m) {
      field = jsonPath(m);
      message = "has the wrong type";
    }
    List<Problem.Violation> violations =
        field == null || field.isEmpty() ? null : List.of(new Problem.Violation(field, message));
    return answer(
        new Problem(
            Problem.type("validation"),
            "Invalid request",
            400,
            violations == null ? "The body is not valid JSON." : "The body has invalid fields.",
            null,
            violations));
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return answer(
        new Problem(
            Problem.type("unauthorized"),
            "Unauthorized",
            401,
            "A valid bearer token from the salons realm is required.",
            null,
            null));
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e) {
    return unauthorized(null);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return answer(
        new Problem(
            Problem.type("forbidden"),
            "Forbidden",
            403,
            "Your role does not allow this request.",
            null,
            null));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
      return unreadable(json);
    }
    if (status >= 500) {
      return unexpected(e);
    }
    if (e instanceof jakarta.ws.rs.NotFoundException && e.getCause() != null) {
      // A path or query parameter that cannot be read as its type (a number too big, a date that
      // is not one): JAX-RS says 404, a script author needs to know the input was wrong.
      return answer(
          new Problem(
              Problem.type("validation"),
              "Invalid request",
              400,
              "A path or query parameter is not of its documented type.",
              null,
              null));
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "HTTP " + status : type.getReasonPhrase();
    String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    return answer(new Problem(Problem.type(slug), title, status, e.getMessage(), null, null));
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    String correlationId = UUID.randomUUID().toString();
    LOG.errorf(e, "Unexpected error, correlation id %s", correlationId);
    return answer(
        new Problem(
            Problem.type("internal"),
            "Internal error",
            500,
            "The server could not complete the request. Quote the correlation id to the operator.",
            correlationId,
            null));
  }

  private static Response answer(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  /**
   * The path of a refused value as a script author sees it: {@code members[2].email} for a body
   * field, {@code limit} for a query parameter; never the Java method's name.
   */
  static String field(ConstraintViolation<?> violation) {
    StringBuilder body = new StringBuilder();
    String parameter = null;
    for (Path.Node node : violation.getPropertyPath()) {
      if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
        continue;
      }
      if (node.getKind() == ElementKind.PARAMETER) {
        parameter = node.getName();
        continue;
      }
      if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getName() == null) {
        continue;
      }
      // An element of a list or map carries its index on the node that follows the container.
      if (node.isInIterable() && body.length() > 0) {
        if (node.getIndex() != null) {
          body.append('[').append(node.getIndex()).append(']');
        } else if (node.getKey() != null) {
          body.append('[').append(node.getKey()).append(']');
        }
      }
      if (node.getName() != null) {
        if (body.length() > 0) {
          body.append('.');
        }
        body.append(node.getName());
      }
    }
    if (body.length() > 0) {
      return body.toString();
    }
    return parameter == null ? "" : parameter;
  }

  /** A constraint on what the server answers is the server's bug, not the caller's. */
  private static boolean isReturnValueViolation(ConstraintViolationException e) {
    for (ConstraintViolation<?> v : e.getConstraintViolations()) {
      for (Path.Node node : v.getPropertyPath()) {
        if (node.getKind() == ElementKind.RETURN_VALUE) {
          return true;
        }
      }
    }
    return false;
  }

  private static String jsonPath(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
