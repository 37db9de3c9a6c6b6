package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The RESP2 encoding and every reply type, on bytes, without a server. */
class RespTest {
  @Test
  void encodesACommandAsAnArrayOfBulkStrings() {
    assertThat(new String(Resp.encode(List.of("SET", "kéy", "")), StandardCharsets.UTF_8))
        .isEqualTo("*3\r\n$3\r\nSET\r\n$4\r\nkéy\r\n$0\r\n\r\n");
  }

  @Test
  void readsEveryReplyType() throws IOException {
    assertThat(read("+OK\r\n")).isEqualTo("OK");
    assertThat(read(":-42\r\n")).isEqualTo(-42L);
    assertThat(read("$4\r\nhé!\r\n")).isEqualTo("hé!");
    assertThat(read("$0\r\n\r\n")).isEqualTo("");
    assertThat(read("$-1\r\n")).isNull();
    assertThat(read("*-1\r\n")).isNull();
    assertThat(read("*0\r\n")).isEqualTo(List.of());
    assertThat(read("*3\r\n:1\r\n*1\r\n$1\r\na\r\n$-1\r\n"))
        .isEqualTo(Arrays.asList(1L, List.of("a"), null));
  }

  @Test
  void throwsAnErrorReplyButKeepsOneInsideAnArray() throws IOException {
    assertThatThrownBy(() -> read("-MOVED 3999 127.0.0.1:6381\r\n"))
        .isInstanceOf(Resp.ErrorReply.class)
        .hasMessage("MOVED 3999 127.0.0.1:6381");
    List<?> items = (List<?>) read("*2\r\n-ERR no\r\n+OK\r\n");
    assertThat(items.get(0)).isInstanceOf(Resp.ErrorReply.class);
    assertThat(items.get(1)).isEqualTo("OK");
  }

  @Test
  void refusesATruncatedReply() {
    assertThatThrownBy(() -> read("$5\r\nab")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
  }

  private static @Nullable Object read(String bytes) throws IOException {
    return Resp.read(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8)));
  }
}
