package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link CursorCodec}: a {@code cursor} query parameter decodes to a
 * position this server could have issued, or is refused with a field error on {@code cursor}; a
 * decoded cursor encodes back to exactly the text it was read from, and every position encodes to a
 * cursor that decodes to it.
 *
 * <p>The input is read twice: as the cursor text itself, and as a frame whose CRC-32 the harness
 * appends, so that the fuzzer also reaches what lies behind the checksum (kinds, orders, lengths,
 * positions) instead of stopping at it.
 *
 * <p>In {@code bin/build verify} the seeds under {@code src/test/resources/.../
 * CursorCodecFuzzTestInputs} run, then 20,000 inputs of fuzzing from a fixed seed. The long run (10
 * minutes from a random seed; {@code -Djazzer.max_duration=30m} for longer):
 *
 * <pre>
 * bin/build -pl mailroom-server -am test -Dtest=CursorCodecFuzzTest \
 *   -Pfuzz-long -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class CursorCodecFuzzTest {
  private static final Pattern CHAIN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  @FuzzTest(maxDuration = "5s")
  void aCursorIsOneThisServerIssuedOrRefusedOnItsField(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    decodesCanonicallyOrRefuses(text);
    decodesCanonicallyOrRefuses(CursorCodecTest.sealed(input));
    positionsRoundTrip(input);
  }

  private static void decodesCanonicallyOrRefuses(String text) {
    try {
      CursorCodec.Cursor c = CursorCodec.decode(text);
      assertThat(c.position().value()).isNotNegative();
      assertThat(CursorCodec.encode(c.order(), c.position())).isEqualTo(text);
    } catch (MailroomException.InvalidRequest e) {
      FuzzChecks.refusal(e, text, Set.of(CursorCodec.FIELD)::contains);
    }
    try {
      CursorCodec.AuditCursor c = CursorCodec.decodeAudit(text);
      AuditPosition p = c.position();
      assertThat(p.chain()).matches(CHAIN);
      assertThat(p.index()).isNotNegative();
      assertThat(CursorCodec.encode(c.order(), p)).isEqualTo(text);
    } catch (MailroomException.InvalidRequest e) {
      FuzzChecks.refusal(e, text, Set.of(CursorCodec.FIELD)::contains);
    }
  }

  /** Positions made from the input's bytes encode to cursors that decode to them. */
  private static void positionsRoundTrip(byte[] input) {
    ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(input, 17));
    Order order = (b.get() & 1) == 0 ? Order.ASC : Order.DESC;
    MessageId id = MessageId.of(b.getLong() & Long.MAX_VALUE);
    assertThat(CursorCodec.decode(CursorCodec.encode(order, id)))
        .isEqualTo(new CursorCodec.Cursor(order, id));

    long index = b.getLong() & Long.MAX_VALUE;
    String chain = chainOf(input);
    AuditPosition p = new AuditPosition(Instant.ofEpochMilli(index >>> 8), chain, index);
    assertThat(CursorCodec.decodeAudit(CursorCodec.encode(order, p)))
        .isEqualTo(new CursorCodec.AuditCursor(order, p));
  }

  /** A valid chain name made of the input's bytes (as audit records name their chains). */
  private static String chainOf(byte[] input) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder chain = new StringBuilder();
    for (int i = 0; i < Math.min(input.length, 64); i++) {
      chain.append(alphabet.charAt(input[i] & 63));
    }
    return chain.isEmpty() ? "node-1" : chain.toString();
  }
}
