package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * An upload's log, applied to its record: the log ends where a crash cut it, and applying it to a
 * record that already holds it changes nothing, which is what makes the file blob store's order of
 * writes (line, then record, then delete the log) safe.
 */
class BlobRecordsTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final int PART = 1024;
  private static final Blob OPEN =
      Blob.open(
          new BlobId("0123456789abcdef0123456789abcdef"),
          AgentId.of("alice"),
          "f.bin",
          "application/octet-stream",
          6L * PART - 10,
          PART,
          Optional.empty(),
          T0);

  @Property(tries = 300)
  void applyingALogTwiceGivesWhatApplyingItOnceDoes(@ForAll("logs") List<String> lines) {
    byte[] log = String.join("", lines).getBytes(StandardCharsets.UTF_8);
    Blob once = BlobRecords.replay(OPEN, log).blob();

    assertThat(BlobRecords.replay(once, log).blob()).isEqualTo(once);
    assertThat(BlobRecords.replay(OPEN, log).applied()).isEqualTo(lines.size());
  }

  @Property(tries = 300)
  void aLogCutAnywhereEndsAtItsLastWholeLine(
      @ForAll("logs") List<String> lines, @ForAll("fractions") double cut) {
    String text = String.join("", lines);
    int at = (int) (text.length() * cut);
    String kept = text.substring(0, text.lastIndexOf('\n', at - 1) + 1);

    BlobRecords.Replayed replayed =
        BlobRecords.replay(OPEN, text.substring(0, at).getBytes(StandardCharsets.UTF_8));

    assertThat(replayed.blob())
        .isEqualTo(BlobRecords.replay(OPEN, kept.getBytes(StandardCharsets.UTF_8)).blob());
    assertThat(replayed.ignored()).isEqualTo(at > kept.length() ? 1 : 0);
  }

  @Provide
  Arbitrary<List<String>> logs() {
    Arbitrary<Integer> part = Arbitraries.integers().between(0, OPEN.partCount() - 1);
    Arbitrary<Instant> at = Arbitraries.longs().between(0, 10_000).map(T0::plusMillis);
    Arbitrary<PartChecksum> sha =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("0123456789abcdef")
                .ofLength(64)
                .map(PartChecksum::sha256),
            Arbitraries.strings()
                .withChars("0123456789abcdef")
                .ofLength(8)
                .map(PartChecksum::crc32c));
    Arbitrary<String> received =
        Combinators.combine(part, sha, at)
            .as((n, s, t) -> BlobRecords.partLine(new Blob.Part(n, OPEN.partLength(n), s), t));
    Arbitrary<String> dropped = part.map(BlobRecords::dropLine);
    Arbitrary<String> used = at.map(BlobRecords::usedLine);
    return Arbitraries.frequencyOf(Tuple.of(5, received), Tuple.of(2, dropped), Tuple.of(1, used))
        .list()
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 1);
  }
}
