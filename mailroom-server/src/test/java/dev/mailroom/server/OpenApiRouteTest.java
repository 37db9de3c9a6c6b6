package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
            "  /v1/stream:",
            "  /mcp:");
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
