package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.ErrorCode;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorMappingTest {
  private static final Map<ErrorCode, Integer> STATUS =
      Map.ofEntries(
          Map.entry(ErrorCode.INVALID_REQUEST, 400),
          Map.entry(ErrorCode.CHECKSUM_MISMATCH, 422),
          Map.entry(ErrorCode.UNAUTHENTICATED, 401),
          Map.entry(ErrorCode.FORBIDDEN, 403),
          Map.entry(ErrorCode.NOT_FOUND, 404),
          Map.entry(ErrorCode.CONFLICT, 409),
          Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, 413),
          Map.entry(ErrorCode.QUOTA_EXCEEDED, 409),
          Map.entry(ErrorCode.REQUEST_TIMEOUT, 408),
          Map.entry(ErrorCode.RATE_LIMITED, 429),
          Map.entry(ErrorCode.UNAVAILABLE, 503),
          Map.entry(ErrorCode.INSUFFICIENT_STORAGE, 507));

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyErrorCodeHasItsStatusAndAProblemType(ErrorCode code) {
    ErrorMapping m = ErrorMapping.of(code);

    assertThat(m.status()).isEqualTo(STATUS.get(code));
    assertThat(m.type()).startsWith("/problems/");
    assertThat(m.title()).isNotBlank();
  }

  @Test
  void noTwoCodesShareAProblemType() {
    assertThat(Arrays.stream(ErrorCode.values()).map(c -> ErrorMapping.of(c).type()))
        .doesNotHaveDuplicates();
  }

  @Test
  void noErrorCodeMapsToAServerErrorButTheDocumentedOnes() {
    assertThat(Arrays.stream(ErrorCode.values()).map(c -> ErrorMapping.of(c).status()))
        .allMatch(s -> s < 500 || s == 503 || s == 507);
  }

  @Test
  void frameworkStatusesReuseTheCodesMapping() {
    assertThat(ErrorMapping.ofStatus(404)).isEqualTo(ErrorMapping.of(ErrorCode.NOT_FOUND));
    assertThat(ErrorMapping.ofStatus(413)).isEqualTo(ErrorMapping.of(ErrorCode.PAYLOAD_TOO_LARGE));
    assertThat(ErrorMapping.ofStatus(409)).isEqualTo(ErrorMapping.of(ErrorCode.CONFLICT));
    assertThat(ErrorMapping.ofStatus(408)).isEqualTo(ErrorMapping.of(ErrorCode.REQUEST_TIMEOUT));
    assertThat(ErrorMapping.ofStatus(405).type()).isEqualTo("/problems/method-not-allowed");
    assertThat(ErrorMapping.ofStatus(507))
        .isEqualTo(ErrorMapping.of(ErrorCode.INSUFFICIENT_STORAGE));
    assertThat(ErrorMapping.ofStatus(502)).isEqualTo(ErrorMapping.INTERNAL);
  }
}
