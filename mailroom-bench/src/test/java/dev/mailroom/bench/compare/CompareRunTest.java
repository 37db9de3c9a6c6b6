package dev.mailroom.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareRunTest {
  @TempDir Path dir;

  @Test
  void aSystemThatCannotStartIsReportedUnavailableInEveryCaseAndTriedOncePerRun() throws Exception {
    int[] attempts = {0};
    Systems.Entry broken =
        new Systems.Entry(
            "broken",
            "none",
            workDir -> {
              attempts[0]++;
              throw new IOException("no server here");
            });
    List<Result> emitted = new ArrayList<>();

    List<Result> results =
        CompareRun.run(
            Settings.forSmoke(),
            List.of(broken),
            new LinkedHashSet<>(CompareRun.SCENARIOS),
            2,
            dir,
            emitted::add);

    // Per run: S1 at 1 and 8 publishers and pipelined, S2 at two rates, S3, S4.
    assertThat(results).hasSize(14).isEqualTo(emitted);
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.flag("unavailable")).isTrue();
              assertThat(r.error()).contains("no server here");
            });
    assertThat(attempts[0]).isEqualTo(2);
  }

  @Test
  void payloadsCarryTheirSendTimeAndSequenceNumber() {
    byte[] p = Payloads.create(256, -123_456_789L, 42);

    assertThat(p).hasSize(256);
    assertThat(Payloads.sendNanos(p)).isEqualTo(-123_456_789L);
    assertThat(Payloads.seq(p)).isEqualTo(42);
  }
}
