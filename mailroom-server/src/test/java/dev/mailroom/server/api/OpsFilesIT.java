package dev.mailroom.server.api;

import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operators' files in docs/ops are well-formed and name only series a running server exports:
 * the Prometheus alerting rules (each rule complete: name, expression, severity, summary) and the
 * Grafana dashboard (each panel's queries).
 */
class OpsFilesIT {
  private static final Path OPS = Path.of("..", "docs", "ops");

  /** The names of series in a PromQL expression: Mailroom's own, HTTP and JVM ones. */
  private static final Pattern SERIES =
      Pattern.compile("\\b((?:mailroom|http_server|jvm)_[a-z0-9_]+)\\b");

  @RegisterExtension static final MailroomApi api = new MailroomApi();

  @Test
  void theAlertingRulesAreCompleteAndNameOnlyExportedSeries() throws IOException {
    JsonNode rules =
        new YAMLMapper().readTree(Files.readString(OPS.resolve("prometheus-rules.yml")));
    List<String> expressions = new ArrayList<>();
    JsonNode groups = rules.get("groups");
    assertThat(groups.isArray() && !groups.isEmpty()).isTrue();
    for (JsonNode group : groups) {
      assertThat(group.path("name").asString()).isNotBlank();
      for (JsonNode rule : group.get("rules")) {
        String name = rule.path("alert").asString();
        assertThat(name).as("an alert's name").matches("Mailroom[A-Za-z]+");
        assertThat(rule.path("expr").asString()).as(name).isNotBlank();
        assertThat(rule.at("/labels/severity").asString())
            .as(name)
            .isIn("info", "warning", "critical");
        assertThat(rule.at("/annotations/summary").asString()).as(name).isNotBlank();
        expressions.add(rule.get("expr").asString());
      }
    }
    assertExported(expressions);
  }

  @Test
  void theDashboardIsJsonWhosePanelsQueryOnlyExportedSeries() throws IOException {
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(Files.readString(OPS.resolve("grafana-dashboard.json")));
    assertThat(dashboard.path("title").asString()).isEqualTo("Mailroom");
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.path("title").asString()).isNotBlank();
      for (JsonNode target : panel.get("targets")) {
        expressions.add(target.get("expr").asString());
      }
    }
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
    assertExported(expressions);
  }

  /** Every series the expressions name is in the scrape of a server that has seen some traffic. */
  private static void assertExported(List<String> expressions) {
    Agent alice = api.newAgent("alice");
    api.as(alice).sendOk(plain(alice.id(), "traffic"));
    api.as(alice).send(Map.of("mode", "direct")); // a problem, so that its series exists
    Set<String> exported = new TreeSet<>();
    for (String line : api.admin().get("/metrics").body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
    Set<String> named = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = SERIES.matcher(expr);
      while (m.find()) {
        named.add(m.group(1));
      }
    }
    assertThat(named).isNotEmpty();
    assertThat(exported).containsAll(named);
  }
}
