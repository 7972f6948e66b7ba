package coop.salons.portal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The merge itself, on two documents shaped as the services write theirs (the running platform's
 * merged document is checked by the end-to-end test of ./salons run).
 */
class ApiDocumentTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pathsNameTheirServerAndSchemasNeverCollide() throws Exception {
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    docs.put(
        "identity",
        JSON.readTree(
            """
            {"openapi":"3.1.0","paths":{"/api/v1/organizations":{"get":{"responses":{"200":
            {"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Page"}}}}}}}},
            "components":{"schemas":{"Page":{"type":"object","properties":{"items":{}}}},
            "securitySchemes":{"SecurityScheme":{"type":"http","scheme":"bearer"}}}}
            """));
    docs.put(
        "billing",
        JSON.readTree(
            """
            {"openapi":"3.1.0","paths":{"/api/v1/plans":{"get":{"responses":{"200":
            {"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Page"}}}}}}}},
            "components":{"schemas":{"Page":{"type":"object","properties":{"plans":{}}}}}}
            """));
    JsonNode merged =
        ApiDocument.merge(
            docs,
            Map.of(
                "identity", "https://salons.example.org/services/identity",
                "billing", "https://salons.example.org/services/billing"));
    assertEquals(
        "https://salons.example.org/services/identity",
        merged.at("/paths/~1api~1v1~1organizations/servers/0/url").asText());
    assertEquals(
        "https://salons.example.org/services/billing",
        merged.at("/paths/~1api~1v1~1plans/servers/0/url").asText());
    assertEquals(
        "#/components/schemas/billing.Page",
        merged
            .at("/paths/~1api~1v1~1plans/get/responses/200/content/application~1json/schema/$ref")
            .asText());
    assertTrue(merged.at("/components/schemas/identity.Page/properties/items").isObject());
    assertTrue(merged.at("/components/schemas/billing.Page/properties/plans").isObject());
    assertEquals("bearer", merged.at("/components/securitySchemes/SecurityScheme/scheme").asText());
  }
}
