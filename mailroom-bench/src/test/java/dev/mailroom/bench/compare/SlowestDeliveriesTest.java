package dev.mailroom.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowestDeliveriesTest {
  @TempDir Path dir;

  @Test
  void keepsTheSlowestOfTheMessagesDueInTheWindowAndPassesEveryMessageOn() {
    Tally.Window window = new Tally.Window();
    window.set(1_000, 2_000);
    List<Long> passedOn = new ArrayList<>();
    SlowestDeliveries slowest =
        new SlowestDeliveries(p -> passedOn.add(Payloads.seq(p)), window, 2, 10);

    slowest.offer(new SlowestDeliveries.Slow(1, 1_100, 5));
    slowest.offer(new SlowestDeliveries.Slow(2, 1_200, 50));
    slowest.offer(new SlowestDeliveries.Slow(3, 1_300, 7));
    slowest.offer(new SlowestDeliveries.Slow(4, 1_400, 30));
    // Due before the window: passed on, never a candidate however late.
    slowest.onMessage(Payloads.create(32, 500, 5));

    assertThat(slowest.slowest()).extracting(SlowestDeliveries.Slow::seq).containsExactly(2L, 4L);
    assertThat(passedOn).containsExactly(5L);
  }

  @Test
  void aDeliveryIsMeasuredFromItsDueTimeAndListedWithItsAcknowledgement() throws Exception {
    Tally.Window window = new Tally.Window();
    Tally tally = new Tally(window, new LongAdder());
    SlowestDeliveries slowest = new SlowestDeliveries(tally, window, 10, 10);
    long due = System.nanoTime() - 3_000_000; // 3 ms ago
    Instant wall = Instant.now().minusMillis(3);

    slowest.acked(7, due + 1_500_000);
    slowest.onMessage(Payloads.create(32, due, 7));
    slowest.acked(99, due); // beyond the sequences of the case: ignored

    assertThat(tally.distinct()).isEqualTo(1);
    List<String> lines = slowest.lines("sys", 2, 1000);
    assertThat(lines).hasSize(1);
    String[] f = lines.get(0).split(",", -1);
    assertThat(f).hasSize(SlowestDeliveries.HEADER.split(",").length);
    assertThat(f[0]).isEqualTo("sys");
    assertThat(f[1]).isEqualTo("2");
    assertThat(f[2]).isEqualTo("1000");
    assertThat(f[3]).isEqualTo("7");
    assertThat(Instant.parse(f[4])).isBetween(wall.minusMillis(50), wall.plusMillis(50));
    assertThat(Long.parseLong(f[5]) / 1000).isEqualTo(Instant.parse(f[4]).toEpochMilli());
    assertThat(Double.parseDouble(f[6])).isBetween(3.0, 1_000.0);
    assertThat(f[7]).isEqualTo("1.500");

    Path file = dir.resolve("compare-x.jsonl");
    SlowestDeliveries.Log log = SlowestDeliveries.Log.nextTo(file, 10);
    slowest.append(log, "sys", 1, 1000);
    slowest.append(log, "sys", 2, 1000);
    assertThat(log.file().getFileName().toString()).isEqualTo("compare-x-s2-slowest.csv");
    List<String> written = Files.readAllLines(log.file(), StandardCharsets.UTF_8);
    assertThat(written).hasSize(3);
    assertThat(written.get(0)).isEqualTo(SlowestDeliveries.HEADER);
  }

  @Test
  void anUnacknowledgedDeliveryHasNoAckLatency() {
    Tally.Window window = new Tally.Window();
    SlowestDeliveries slowest = new SlowestDeliveries(p -> {}, window, 1, 4);

    slowest.offer(new SlowestDeliveries.Slow(3, 0, 1_000_000));

    assertThat(slowest.lines("s", 1, 1).get(0)).endsWith(",1.000,");
  }
}
