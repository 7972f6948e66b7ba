package coop.salons.common.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents in every service's OpenAPI the error answers each operation can give, as {@link
 * Problem} documents: 400 where it reads input, 401 and 403 where it needs a token, 404 where its
 * path names something, 409 for a write or where the path names something (an organisation
 * scheduled for deletion, say), 412 where it reads {@code If-Match}, 415 where it reads a body, 422
 * where it reads {@code Idempotency-Key}, 429 for a creation (rate limits), 503 everywhere (a
 * dependency away). An operation's own annotations win. And a property a schema does not require
 * may be null (records answer null for what they do not have). Found by Quarkus in every service
 * through its annotation.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

  private static final Map<String, String> WHY =
      Map.of(
          "400", "Invalid input: the problem's violations name each refused field",
          "401", "No valid token meant for this API",
          "403", "The caller's role or account may not do this",
          "404", "Not found, or not the caller's to know of",
          "409", "Conflicts with the current state (the detail says which)",
          "412", "If-Match does not match the current version",
          "415", "The body is not JSON",
          "422", "This Idempotency-Key was used for a different request",
          "429", "Too many requests: retry after the Retry-After header's seconds",
          "503", "A service this one depends on is unavailable: retry later");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    if (openAPI.getComponents().getSchemas() != null) {
      openAPI.getComponents().getSchemas().values().forEach(ProblemResponses::nullable);
      if (openAPI.getComponents().getSchemas().containsKey("YearMonth")) {
        // Jackson writes a YearMonth as "2026-11", not as the object the scanner describes.
        openAPI
            .getComponents()
            .addSchema(
                "YearMonth",
                OASFactory.createSchema()
                    .addType(Schema.SchemaType.STRING)
                    .pattern("^[0-9]{4}-[0-9]{2}$")
                    .examples(java.util.List.of("2026-11")));
      }
    }
    openAPI.getComponents().addSchema("Problem", problemSchema());
    if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
      return;
    }
    for (Map.Entry<String, PathItem> p : openAPI.getPaths().getPathItems().entrySet()) {
      boolean names = p.getKey().contains("{");
      for (Map.Entry<PathItem.HttpMethod, Operation> o : p.getValue().getOperations().entrySet()) {
        document(o.getKey(), o.getValue(), names);
      }
    }
  }

  private static void document(PathItem.HttpMethod method, Operation op, boolean names) {
    APIResponses r = op.getResponses();
    if (r == null) {
      r = OASFactory.createAPIResponses();
      op.setResponses(r);
    }
    boolean input =
        (op.getParameters() != null && !op.getParameters().isEmpty())
            || op.getRequestBody() != null;
    boolean secured =
        r.hasAPIResponse("401") || (op.getSecurity() != null && !op.getSecurity().isEmpty());
    boolean write = method != PathItem.HttpMethod.GET;
    boolean ifMatch =
        op.getParameters() != null
            && op.getParameters().stream().anyMatch(x -> "If-Match".equalsIgnoreCase(x.getName()));
    add(r, "400", input);
    add(r, "401", secured);
    add(r, "403", secured);
    boolean idempotent =
        op.getParameters() != null
            && op.getParameters().stream()
                .anyMatch(x -> "Idempotency-Key".equalsIgnoreCase(x.getName()));
    add(r, "404", names);
    add(r, "409", write || names);
    add(r, "412", ifMatch);
    add(r, "415", op.getRequestBody() != null);
    add(r, "422", idempotent);
    add(r, "429", method == PathItem.HttpMethod.POST);
    add(r, "503", true);
  }

  private static void add(APIResponses r, String status, boolean applies) {
    if (!applies) {
      return;
    }
    var existing = r.getAPIResponse(status);
    var answer = existing != null ? existing : OASFactory.createAPIResponse();
    if (answer.getDescription() == null || answer.getDescription().isBlank()) {
      answer.setDescription(WHY.get(status));
    }
    if (answer.getContent() == null || answer.getContent().getMediaTypes().isEmpty()) {
      answer.setContent(
          OASFactory.createContent()
              .addMediaType(
                  Problem.MEDIA_TYPE,
                  OASFactory.createMediaType()
                      .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))));
    }
    r.addAPIResponse(status, answer);
  }

  /** Lets each property the schema does not require be null, as the services answer it. */
  private static void nullable(Schema schema) {
    if (schema.getProperties() == null) {
      return;
    }
    java.util.List<String> required =
        schema.getRequired() == null ? java.util.List.of() : schema.getRequired();
    for (Map.Entry<String, Schema> p : schema.getProperties().entrySet()) {
      if (required.contains(p.getKey())) {
        continue;
      }
      Schema property = p.getValue();
      if (property.getRef() != null) {
        Schema either =
            OASFactory.createSchema()
                .addAnyOf(OASFactory.createSchema().ref(property.getRef()))
                .addAnyOf(OASFactory.createSchema().addType(Schema.SchemaType.NULL));
        schema.addProperty(p.getKey(), either);
      } else if (property.getType() != null
          && !property.getType().contains(Schema.SchemaType.NULL)) {
        property.addType(Schema.SchemaType.NULL);
      }
    }
  }

  private static Schema problemSchema() {
    Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    Schema violation =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .addProperty("field", string)
            .addProperty("message", string);
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description("An RFC 9457 problem document (application/problem+json)")
        .addProperty("type", string)
        .addProperty("title", string)
        .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
        .addProperty("detail", string)
        .addProperty("correlationId", string)
        .addProperty(
            "violations",
            OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(violation))
        .addRequired("status");
  }
}
