package dev.mailroom.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison's smoke mode, end to end: every scenario on every system that can start here
 * (Mailroom on SQLite and on Redis always; NATS JetStream, RabbitMQ and Redis Streams when their
 * server is there), then the report with its charts. Asserts that each scenario produced results
 * and lost nothing; never a figure.
 */
class CompareSmokeIT {
  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void everyScenarioRunsEndToEndOnEverySystemAndTheReportIsWritten() throws Exception {
    Settings smoke = Settings.forSmoke();
    Path out = dir.resolve("compare-smoke.jsonl");
    SlowestDeliveries.Log slowest = SlowestDeliveries.Log.nextTo(out, 3);
    List<Result> results =
        CompareMain.run(
            smoke,
            Systems.all(),
            new LinkedHashSet<>(CompareRun.SCENARIOS),
            1,
            dir.resolve("data"),
            out,
            new String[] {"--smoke", "--s2-slowest", "3"},
            slowest);

    SoftAssertions soft = new SoftAssertions();
    for (Systems.Entry system : Systems.all()) {
      List<Result> mine = results.stream().filter(r -> r.system().equals(system.name())).toList();
      boolean unavailable = mine.stream().anyMatch(r -> r.flag("unavailable"));
      if (unavailable && !system.mailroom()) {
        System.out.println(
            "skipped, not available here: " + system.name() + ": " + mine.get(0).error());
        continue;
      }
      for (String scenario : CompareRun.SCENARIOS) {
        List<Result> cases = mine.stream().filter(r -> r.scenario().equals(scenario)).toList();
        soft.assertThat(cases).as("%s %s results", system.name(), scenario).isNotEmpty();
        for (Result r : cases) {
          String what = system.name() + " " + scenario + " " + r.variant();
          soft.assertThat(r.error()).as("%s error", what).isNull();
          if (r.flag("skipped")) {
            continue;
          }
          if (!scenario.equals("S1")) {
            soft.assertThat(r.number("lost")).as("%s lost", what).isZero();
            soft.assertThat(r.number("malformed")).as("%s malformed", what).isZero();
          }
        }
        soft.assertThat(cases.stream().filter(Result::measured))
            .as("%s %s measured cases", system.name(), scenario)
            .isNotEmpty();
      }
      mine.stream()
          .filter(r -> r.scenario().equals("S1") && r.measured())
          .forEach(r -> soft.assertThat(r.number("publishes")).as("S1 publishes").isPositive());
      mine.stream()
          .filter(r -> r.scenario().equals("S3") && r.measured())
          .forEach(r -> soft.assertThat(r.number("published")).as("S3 published").isPositive());
      mine.stream()
          .filter(r -> r.scenario().equals("S4") && r.measured())
          .forEach(
              r ->
                  soft.assertThat(r.number("received"))
                      .as("%s S4 received", system.name())
                      .isEqualTo(smoke.backlog()));
    }
    soft.assertAll();

    // Every measured S2 case of mailroom-sqlite traced its three slowest deliveries.
    long sqliteS2 =
        results.stream()
            .filter(
                r ->
                    r.system().equals("mailroom-sqlite")
                        && r.scenario().equals("S2")
                        && r.measured())
            .count();
    assertThat(Files.readAllLines(slowest.file(), StandardCharsets.UTF_8))
        .first()
        .isEqualTo(SlowestDeliveries.HEADER);
    assertThat(Files.readAllLines(slowest.file(), StandardCharsets.UTF_8))
        .filteredOn(line -> line.startsWith("mailroom-sqlite,"))
        .hasSize((int) (3 * sqliteS2));

    Path doc = dir.resolve("BENCHMARKS.md");
    Path charts = dir.resolve("bench");
    CompareReport.write(CompareMain.read(out), out, doc, charts);
    String md = Files.readString(doc, StandardCharsets.UTF_8);
    assertThat(md)
        .contains(CompareReport.BEGIN, CompareReport.END, "### S1", "### S2", "### S3", "### S4");
    for (String chart :
        List.of("s1-durable-publish", "s2-latency-p99", "s3-fan-out", "s4-catch-up")) {
      Path svg = charts.resolve(chart + ".svg");
      assertThat(md).contains("](bench/" + chart + ".svg)");
      assertThat(Files.readString(svg, StandardCharsets.UTF_8)).contains("<svg").contains("</svg>");
    }
  }
}
