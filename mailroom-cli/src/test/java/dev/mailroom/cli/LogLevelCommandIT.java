package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code mailroom log-level} against a server in this JVM (whose loggers the test can ask), and
 * {@code serve --log-format json} as a process of its own, whose console must be JSON lines.
 */
class LogLevelCommandIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static final String ADMIN_TOKEN = "mr_loglevel_admin_0123456789abcdef0123456789ab";

  private final Cli admin = Cli.as(server, TestServer.ADMIN_TOKEN);

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void listsShowsSetsAndResetsALoggersLevel() {
    String logger = "dev.mailroom.test.cli.levels";

    Cli.Result set = admin.run("log-level", logger, "debug");

    assertThat(set.exit()).as("%s", set).isZero();
    assertThat(set.out()).startsWith("log level of " + logger + " set to DEBUG on node ");
    assertThat(LoggerFactory.getLogger(logger).isDebugEnabled()).isTrue();

    Cli.Result shown = admin.run("log-level", logger);
    assertThat(shown.out().lines().toList())
        .first()
        .satisfies(h -> assertThat(h).matches("LOGGER +LEVEL +EFFECTIVE"));
    assertThat(shown.out()).containsPattern(logger.replace(".", "\\.") + " +DEBUG +DEBUG");
    Cli.Result child = admin.run("log-level", logger + ".child");
    assertThat(child.out()).containsPattern("\\.child +- +DEBUG");

    Cli.Result list = admin.run("log-level");
    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.out().lines().skip(1).findFirst().orElseThrow()).startsWith("ROOT ");
    assertThat(list.out()).contains(logger);
    assertThat(list.err()).startsWith("node ");
    JsonNode json = Json.mapper().readTree(admin.run("log-level", "--json").out());
    assertThat(json.get("loggers").get(0).get("logger").asString()).isEqualTo("ROOT");
    assertThat(json.get("node").asString()).isNotBlank();

    Cli.Result reset = admin.run("log-level", logger, "--reset");
    assertThat(reset.exit()).as("%s", reset).isZero();
    assertThat(reset.out()).startsWith("log level of " + logger + " cleared on node ");
    assertThat(LoggerFactory.getLogger(logger).isDebugEnabled()).isFalse();
    JsonNode after = Json.mapper().readTree(admin.run("log-level", logger, "--json").out());
    assertThat(after.has("level")).isFalse();
    assertThat(admin.run("log-level").out()).doesNotContain(logger);
  }

  @Test
  void badInputAndNonAdminsGetTheirExitCodes() {
    Cli.Result loud = admin.run("log-level", "dev.mailroom", "loud");
    assertThat(loud.exit()).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(loud.err()).contains("level: must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    Cli.Result badName = admin.run("log-level", "a..b");
    assertThat(badName.exit()).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(badName.err()).contains("logger: ");
    assertThat(admin.run("log-level", "ROOT", "--reset").exit())
        .isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(admin.run("log-level", "dev.mailroom", "INFO", "--reset").exit())
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(admin.run("log-level", "--reset").exit()).isEqualTo(ExitCode.USAGE.code());

    String token = admin.run("agents", "create", "not-an-admin", "-q").out().strip();
    Cli.Result refused = Cli.as(server, token).run("log-level", "dev.mailroom", "DEBUG");
    assertThat(refused.exit()).isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(LoggerFactory.getLogger("dev.mailroom").isDebugEnabled()).isFalse();
  }

  @Test
  void serveWithTheJsonLogFormatWritesOneJsonObjectPerLine() {
    Path log = logs.resolve("server.log");
    try (ServerProcess process =
        ServerProcess.start(dataDir, ADMIN_TOKEN, log, "256m", List.of("--log-format", "json"))) {
      // The tests' Logback configuration logs warnings only: let Mailroom's INFO lines through,
      // with the command, whose own change is then logged.
      Cli.Result set =
          Cli.bare()
              .run(
                  "log-level",
                  "dev.mailroom",
                  "INFO",
                  "--server",
                  process.baseUri().toString(),
                  "--token",
                  ADMIN_TOKEN);
      assertThat(set.exit()).as("%s", set).isZero();

      String line =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      process
                          .output()
                          .lines()
                          .filter(l -> l.contains("log level of dev.mailroom set to INFO"))
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      JsonNode event = Json.mapper().readTree(line);
      assertThat(event.get("level").asString()).isEqualTo("INFO");
      assertThat(event.get("loggerName").asString())
          .isEqualTo("dev.mailroom.server.LogLevelRoutes");
      assertThat(event.get("formattedMessage").asString())
          .isEqualTo("log level of dev.mailroom set to INFO by admin");
      assertThat(event.get("timestamp").asLong()).isPositive();
      assertThat(event.get("threadName").asString()).isNotBlank();
      for (String l : process.output().lines().filter(l -> l.startsWith("{")).toList()) {
        assertThat(Json.tolerantMapper().readTree(l).isObject()).as(l).isTrue();
      }
      assertThat(process.output())
          .as("no line in the text format")
          .doesNotContainPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ")
          .doesNotContain(ADMIN_TOKEN);
    }
  }
}
