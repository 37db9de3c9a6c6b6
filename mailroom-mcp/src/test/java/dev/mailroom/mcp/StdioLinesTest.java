package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StdioLinesTest {

  @Test
  void splitsAtLineFeedsCarriageReturnsAndBothAsTheSdkDoesWhateverTheReadSizes()
      throws IOException {
    String input = "a\nb\r\nc\rd\n\ne\r\r\nlast";
    List<String> expected = List.of("a", "b", "c", "d", "", "e", "", "last");

    assertThat(lines(new ByteArrayInputStream(utf8(input)), 100))
        .containsExactlyElementsOf(expected);
    assertThat(lines(oneByteAtATime(input), 100)).containsExactlyElementsOf(expected);
  }

  @Test
  void aLineOverTheLimitIsReportedOnceWithoutItsBytesAndTheNextLinesAreIntact() throws IOException {
    String input = "12345\n" + "x".repeat(6) + "\n123456789012\r\nok\n" + "y".repeat(20);

    assertThat(lines(oneByteAtATime(input), 5))
        .containsExactly("12345", "(overlong)", "(overlong)", "ok", "(overlong)");
  }

  @Test
  void afterTheEndItStaysEnded() throws IOException {
    var lines = new StdioLines(new ByteArrayInputStream(utf8("only\n")), 10);

    assertThat(lines.next()).isPresent();
    assertThat(lines.next()).isEmpty();
    assertThat(lines.next()).isEmpty();
  }

  private static List<String> lines(InputStream in, int max) throws IOException {
    var lines = new StdioLines(in, max);
    List<String> read = new ArrayList<>();
    for (Optional<StdioLines.Line> l = lines.next(); l.isPresent(); l = lines.next()) {
      read.add(
          switch (l.get()) {
            case StdioLines.Text t -> new String(t.bytes(), StandardCharsets.UTF_8);
            case StdioLines.Overlong o -> "(overlong)";
          });
    }
    return read;
  }

  /** Input that hands out one byte a read, so lines and line breaks straddle reads. */
  private static InputStream oneByteAtATime(String s) {
    return new ByteArrayInputStream(utf8(s)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
