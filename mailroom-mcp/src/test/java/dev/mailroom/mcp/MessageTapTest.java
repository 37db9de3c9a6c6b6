package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MessageTapTest {

  @Test
  void passesTheInputThroughAndShowsEachLineOnceWhateverTheReadSizes() throws IOException {
    String input = "{\"a\":1}\n{\"b\":\"é\"}\n" + "x".repeat(MessageTap.MAX_LINE + 10) + "\nlast\n";
    List<String> lines = new ArrayList<>();
    AtomicInteger ended = new AtomicInteger();
    byte[] out;
    try (InputStream tap =
        new MessageTap(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            lines::add,
            ended::incrementAndGet)) {
      byte[] first = new byte[3];
      int n = tap.read(first);
      int single = tap.read();
      byte[] rest = tap.readAllBytes();
      out = new byte[n + 1 + rest.length];
      System.arraycopy(first, 0, out, 0, n);
      out[n] = (byte) single;
      System.arraycopy(rest, 0, out, n + 1, rest.length);
      assertThat(tap.read()).isEqualTo(-1);
    }

    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(input);
    assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":\"é\"}", "last");
    assertThat(ended.get()).isEqualTo(1);
  }
}
