package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress bar of uploads and downloads: on a terminal only, its label made safe. */
class TransferBarTest {
  private final StringWriter err = new StringWriter();

  private Terminal terminal(boolean interactive) {
    return new Terminal(
        new PrintWriter(new StringWriter()),
        new PrintWriter(err),
        new ByteArrayInputStream(new byte[0]),
        Map.of(),
        interactive);
  }

  @Test
  void aTerminalSeesTheBarRedrawnInPlaceOncePerPercentAndTheLineEnded() {
    try (TransferBar bar = new TransferBar(terminal(true), "downloading x\u001b]0;pwned\u0007")) {
      bar.update(0, 200L << 20);
      bar.update(1, 200L << 20);
      bar.update(100L << 20, 200L << 20);
      bar.update(200L << 20, 200L << 20);
    }
    String shown = err.toString();
    assertThat(shown.split("\r", -1)).hasSize(4);
    assertThat(shown)
        .contains("downloading x\\u001b]0;pwned\\u0007 [")
        .doesNotContain("\u001b")
        .contains(" 50%  100.0 MiB / 200.0 MiB")
        .endsWith("] 100%  200.0 MiB / 200.0 MiB" + System.lineSeparator());
  }

  @Test
  void scriptsAndPipesSeeNothing() {
    try (TransferBar bar = new TransferBar(terminal(false), "uploading a.bin")) {
      bar.update(1, 2);
      bar.update(2, 2);
    }
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void sizesReadInBinaryUnits() {
    assertThat(Formats.bytes(0)).isEqualTo("0 B");
    assertThat(Formats.bytes(1023)).isEqualTo("1023 B");
    assertThat(Formats.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Formats.bytes(200L << 20)).isEqualTo("200.0 MiB");
    assertThat(Formats.bytes(1L << 30)).isEqualTo("1.0 GiB");
  }
}
