package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class OpenApiRouteTest {

  private static String document() throws IOException {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(OpenApiRoute.RESOURCE)) {
      assertThat(in).as("openapi.yaml on the class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theDocumentDescribesEveryRouteTheServerServes() throws IOException {
    String doc = document();

    assertThat(doc)
        .startsWith("openapi: 3.1.0")
        .contains(
            "  /health:",
            "  /health/live:",
            "  /health/ready:",
            "  /metrics:",
            "  /openapi.yaml:",
            "  /v1/agents:",
            "  /v1/whoami:",
            "  /v1/messages:",
            "  /v1/messages/{id}:",
            "  /v1/messages/{id}/read:",
            "  /v1/messages/{id}/readers:",
            "  /v1/messages/{id}/ack:",
            "  /v1/inbox:",
            "  /v1/inbox/unread_count:",
            "  /v1/inbox/summary:",
            "  /v1/mailboxes/{name}/messages:",
            "  /v1/subscriptions:",
            "  /v1/subscriptions/{id}:",
            "  /v1/topics:",
            "  /v1/topics/{name}:",
            "  /v1/topics/{name}/join:",
            "  /v1/topics/{name}/leave:",
            "  /v1/dlq:",
            "  /v1/dlq/{id}:",
            "  /v1/dlq/{id}/replay:",
            "  /v1/audit:",
            "  /v1/audit/verify:",
            "  /v1/stats:",
            "  /v1/agents/{id}/stats:",
            "  /v1/mailboxes/{name}/stats:",
            "  /v1/mailboxes/{name}/tail:",
            "  /console/session:",
            "  /v1/admin/alerts:",
            "  /v1/admin/alerts/rules/{name}:",
            "  /v1/admin/log-levels:",
            "  /v1/admin/log-levels/{logger}:",
            "  /v1/stream:",
            "  /mcp:");
  }

  @Test
  void theDocumentIsWellFormedYamlWithOnlyKnownKeysInItsAnswers() throws IOException {
    JsonNode doc = new YAMLMapper().readTree(document());

    List<String> defects = new ArrayList<>();
    for (var path : doc.path("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        for (var answer : operation.getValue().path("responses").properties()) {
          for (String key : answer.getValue().propertyNames()) {
            if (!RESPONSE_KEYS.contains(key)) {
              defects.add(
                  path.getKey() + " " + operation.getKey() + " " + answer.getKey() + ": " + key);
            }
          }
        }
      }
    }
    nulls(doc, "", defects);

    assertThat(defects).isEmpty();
  }

  /** The keys of an OpenAPI 3.1 response object. */
  private static final Set<String> RESPONSE_KEYS =
      Set.of("description", "headers", "content", "links", "$ref");

  /** A value YAML read as null is a typo (an unquoted comma in a flow mapping, say). */
  private static void nulls(JsonNode node, String at, List<String> defects) {
    if (node.isNull()) {
      defects.add(at + " is null");
    }
    for (var field : node.properties()) {
      nulls(field.getValue(), at + "/" + field.getKey(), defects);
    }
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      nulls(node.get(i), at + "[" + i + "]", defects);
    }
  }

  @Test
  void everyListingParameterIsDescribed() throws IOException {
    String doc = document();

    for (String p : ListingParser.PARAMETERS) {
      assertThat(doc).contains("$ref: \"#/components/parameters/" + p + "\"");
    }
  }

  @Test
  void everyAuditParameterIsDescribed() throws IOException {
    String doc = document();

    for (String p : AuditRoutes.PARAMETERS) {
      assertThat(doc).containsPattern("name: " + p + ",|parameters/" + p + "\"");
    }
  }

  @Test
  void everySendFieldIsDescribed() throws IOException {
    String doc = document();

    for (String f : SendRequestMapper.FIELDS) {
      assertThat(doc).contains("        " + f + ":");
    }
  }
}
