package coop.salons.portal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.portal.PortalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's API as one OpenAPI document: the services' own documents (read from each, kept 5
 * minutes) merged, each path naming the server that answers it, each service's schemas prefixed
 * with its name so that two services' {@code Page} never collide.
 */
@ApplicationScoped
public class ApiDocument {

  static final Duration KEPT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject PortalConfig config;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private volatile JsonNode merged;
  private volatile Instant readAt = Instant.EPOCH;

  /** The merged document; a service that does not answer fails it (the caller answers 503). */
  public JsonNode current() throws IOException, InterruptedException {
    JsonNode m = merged;
    if (m != null && readAt.plus(KEPT).isAfter(Instant.now())) {
      return m;
    }
    Map<String, String> internal = new LinkedHashMap<>();
    internal.put("identity", config.identityUrl());
    internal.put("provisioning", config.provisioningUrl());
    internal.put("billing", config.billingUrl());
    internal.put("commons", config.commonsUrl());
    Map<String, JsonNode> documents = new LinkedHashMap<>();
    Map<String, String> servers = new LinkedHashMap<>();
    for (Map.Entry<String, String> s : internal.entrySet()) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(s.getValue() + "/q/openapi?format=json"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IOException(s.getKey() + " answered " + answer.statusCode());
      }
      documents.put(s.getKey(), JSON.readTree(answer.body()));
      servers.put(
          s.getKey(), config.publicApi().map(p -> p + "/" + s.getKey()).orElse(s.getValue()));
    }
    m = merge(documents, servers);
    merged = m;
    readAt = Instant.now();
    return m;
  }

  /**
   * Merges the services' documents: every path with the server that answers it ({@code servers} at
   * the path), every schema named {@code <service>.<name>} and every reference rewritten so.
   */
  static ObjectNode merge(Map<String, JsonNode> documents, Map<String, String> servers) {
    ObjectNode out = JSON.createObjectNode();
    out.put("openapi", "3.1.0");
    ObjectNode info = out.putObject("info");
    info.put("title", "Salons API");
    info.put(
        "description",
        "The platform's services in one document: each path names the server that answers it.");
    info.put("version", "v1");
    ObjectNode paths = out.putObject("paths");
    ObjectNode schemas = out.putObject("components").putObject("schemas");
    ObjectNode security = null;
    for (Map.Entry<String, JsonNode> d : documents.entrySet()) {
      String service = d.getKey();
      JsonNode doc = prefixed(d.getValue(), service);
      for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> path = p.next();
        ObjectNode item = ((ObjectNode) path.getValue()).deepCopy();
        ArrayNode server = item.putArray("servers");
        server.addObject().put("url", servers.get(service)).put("description", service);
        paths.set(path.getKey(), item);
      }
      for (Iterator<Map.Entry<String, JsonNode>> s =
              doc.path("components").path("schemas").fields();
          s.hasNext(); ) {
        Map.Entry<String, JsonNode> schema = s.next();
        schemas.set(schema.getKey(), schema.getValue());
      }
      JsonNode schemes = doc.path("components").path("securitySchemes");
      if (security == null && schemes.isObject() && schemes.size() > 0) {
        security = (ObjectNode) schemes;
      }
    }
    if (security != null) {
      ((ObjectNode) out.get("components")).set("securitySchemes", security);
    }
    return out;
  }

  /** The document with its schemas renamed {@code <service>.<name>}, references included. */
  private static JsonNode prefixed(JsonNode doc, String service) {
    try {
      String text =
          JSON.writeValueAsString(doc)
              .replace("\"#/components/schemas/", "\"#/components/schemas/" + service + ".");
      ObjectNode copy = (ObjectNode) JSON.readTree(text);
      JsonNode schemas = copy.path("components").path("schemas");
      if (schemas.isObject()) {
        ObjectNode renamed = JSON.createObjectNode();
        schemas
            .fields()
            .forEachRemaining(e -> renamed.set(service + "." + e.getKey(), e.getValue()));
        ((ObjectNode) copy.get("components")).set("schemas", renamed);
      }
      return copy;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
