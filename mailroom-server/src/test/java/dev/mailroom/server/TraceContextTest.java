package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which {@code traceparent} headers are taken, as the W3C recommendation says. */
class TraceContextTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aValidHeaderIsTakenAndItsTraceIdRead() {
    assertThat(TraceContext.parse(VALID)).contains(VALID);
    assertThat(TraceContext.parse(" " + VALID + " ")).contains(VALID);
    assertThat(TraceContext.traceId(VALID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void aLaterVersionIsReadByItsFirstFourFields() {
    assertThat(TraceContext.parse("01" + VALID.substring(2) + "-what-comes-next"))
        .contains("01" + VALID.substring(2));
  }

  @Test
  void anInvalidHeaderIsIgnored() {
    assertThat(TraceContext.parse(null)).isEmpty();
    assertThat(TraceContext.parse("")).isEmpty();
    assertThat(TraceContext.parse(VALID + "-extra")).as("version 00 has four fields").isEmpty();
    assertThat(TraceContext.parse("ff" + VALID.substring(2))).as("version ff").isEmpty();
    assertThat(TraceContext.parse(VALID.toUpperCase())).as("upper case").isEmpty();
    assertThat(TraceContext.parse("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01"))
        .isEmpty();
    assertThat(TraceContext.parse("00-4bf92f35-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TraceContext.parse(VALID + "x".repeat(600))).isEmpty();
  }
}
