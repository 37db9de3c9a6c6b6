package dev.mailroom.server.api;

import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The operational endpoints outside {@code /v1}. */
class HealthAndMetricsIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  @Test
  void healthAnswersWithoutATokenAndReportsTheStore() {
    Response r = api.anonymous().get("/health");

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.mediaType()).isEqualTo("application/json");
    JsonNode health = r.json();
    assertThat(Json.text(health, "status")).isEqualTo("UP");
    assertThat(health.path("components").path("store").isObject()).as("%s", r).isTrue();
  }

  @Test
  void metricsAreInPrometheusTextFormat() {
    Agent alice = api.newAgent("alice");
    api.as(alice).sendOk(plain(alice.id(), "note to self"));

    Response r = api.admin().get("/metrics");

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.mediaType()).isIn("text/plain", "application/openmetrics-text");
    assertThat(r.body()).contains("# TYPE ");
  }
}
