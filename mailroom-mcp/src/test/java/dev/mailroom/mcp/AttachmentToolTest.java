package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AttachmentToolTest {
  @Test
  void anExcerptCutInsideACharacterLeavesItOutAndBadBytesAreReplaced() {
    byte[] cut = "aé".getBytes(StandardCharsets.UTF_8);
    byte[] half = Arrays.copyOf(cut, cut.length - 1);

    assertThat(AttachmentTool.decode(half, false)).isEqualTo("a");
    assertThat(AttachmentTool.decode(half, true)).isEqualTo("a\uFFFD");
    assertThat(AttachmentTool.decode(new byte[] {'x', (byte) 0xC0, 'y'}, true))
        .isEqualTo("x\uFFFDy");
  }
}
