package dev.mailroom.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareReportTest {
  @TempDir Path dir;

  @Test
  void replacesOnlyTheSectionBetweenTheMarkers() {
    String doc =
        "# B\n\nbefore\n\n" + CompareReport.BEGIN + "\nold\n" + CompareReport.END + "\n\nafter\n";
    String section = CompareReport.BEGIN + "\nnew\n" + CompareReport.END;

    assertThat(CompareReport.replaceSection(doc, section))
        .isEqualTo("# B\n\nbefore\n\n" + section + "\n\nafter\n");
  }

  @Test
  void appendsTheSectionWhenTheMarkersAreAbsent() {
    String section = CompareReport.BEGIN + "\nnew\n" + CompareReport.END;

    assertThat(CompareReport.replaceSection("# B\ntext\n", section))
        .isEqualTo("# B\ntext\n\n" + section + "\n");
  }

  @Test
  void medianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
    assertThat(CompareReport.Stat.of(List.of(4.0, 1.0, 3.0, 2.0)))
        .isEqualTo(new CompareReport.Stat(2.5, 1.0, 4.0, 4));
    assertThat(CompareReport.Stat.of(List.of(5.0, Double.NaN, 1.0, 3.0)).median()).isEqualTo(3.0);
  }

  @Test
  void tablesGiveMedianSpreadDurabilityAndMailroomsRatio() throws Exception {
    List<Result> lines = new ArrayList<>(List.of(meta(3)));
    double[] mailroom = {900, 1000, 1100};
    double[] peer = {1900, 2000, 2100};
    for (int run = 1; run <= 3; run++) {
      lines.add(
          Result.of(run, "mailroom-sqlite", "fsync before the 201", "S1", "8 publishers")
              .put("durability_class", "sync")
              .put("publishers", 8)
              .put("publishes_per_s", mailroom[run - 1])
              .put("ack_p99_ms", 5.0));
      lines.add(
          Result.of(run, "peer", "confirm after fsync", "S1", "8 publishers")
              .put("durability_class", "sync")
              .put("publishers", 8)
              .put("publishes_per_s", peer[run - 1])
              .put("ack_p99_ms", 1.0));
    }
    String md = report(lines);
    assertThat(md)
        .startsWith("# Benchmarks\n\n" + CompareReport.BEGIN)
        .contains(
            "| mailroom-sqlite | sync | fsync before the 201 | 3 |",
            "| mailroom-sqlite | sync | 1,000 (900–1,100) |",
            "| peer | sync | 2,000 (1,900–2,100) | 1.00 | 0.50× |",
            "| equal: sync | S1 publishes/s, 8 publishers | mailroom-sqlite | peer | 1,000 | 2,000"
                + " | 50 % lower (0.50×) |")
        .endsWith(CompareReport.END + "\n");
    assertThat(dir.resolve("docs/bench/s1-durable-publish.svg")).exists();
  }

  /** A rate that saturated before any latency was measured shows no latency, not 0 ms. */
  @Test
  void anS2CaseWithNoLatencySampleShowsNoLatency() throws Exception {
    List<Result> lines = new ArrayList<>(List.of(meta(1)));
    lines.add(
        Result.of(1, "mailroom-sqlite", "fsync before the 201", "S2", "20,000 msgs/s")
            .put("durability_class", "sync")
            .put("rate", 20_000)
            .put("e2e_p50_ms", 0.0)
            .put("e2e_p99_ms", 0.0)
            .put("e2e_p999_ms", 0.0)
            .put("e2e_samples", 0)
            .put("achieved_per_s", 8_907.0)
            .put("saturated", true));
    lines.add(
        Result.of(1, "peer", "confirm after fsync", "S2", "20,000 msgs/s")
            .put("durability_class", "sync")
            .put("rate", 20_000)
            .put("e2e_p50_ms", 0.3)
            .put("e2e_p99_ms", 2.0)
            .put("e2e_p999_ms", 5.0)
            .put("e2e_samples", 200_000)
            .put("achieved_per_s", 20_000.0));
    String md = report(lines);
    assertThat(md)
        .contains("| mailroom-sqlite | sync | 20,000 msgs/s | — | — | — | 8,907 |")
        .contains(
            "| peer | sync | 20,000 msgs/s | 0.300 | 2.00 | 5.00 | 20,000 | kept the rate | — |")
        .doesNotContain("0.000");
  }

  /** The meta line a results file starts with. */
  private static Result meta(int runs) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("type", "meta");
    meta.put("runs", runs);
    return new Result(meta);
  }

  /** The docs file after the report of {@code lines} was written into a fresh one. */
  private String report(List<Result> lines) throws Exception {
    Path doc = dir.resolve("docs/BENCHMARKS.md");
    Files.createDirectories(doc.getParent());
    Files.writeString(doc, "# Benchmarks\n");
    CompareReport.write(lines, Path.of("results.jsonl"), doc, dir.resolve("docs/bench"));
    return Files.readString(doc, StandardCharsets.UTF_8);
  }
}
