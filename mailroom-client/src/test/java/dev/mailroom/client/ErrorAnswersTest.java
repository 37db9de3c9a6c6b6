package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.Json;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorAnswersTest {
  private static HttpHeaders headers(Map<String, List<String>> map) {
    return HttpHeaders.of(map, (a, b) -> true);
  }

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST",
    "405, BAD_REQUEST",
    "415, BAD_REQUEST",
    "401, UNAUTHENTICATED",
    "403, FORBIDDEN",
    "404, NOT_FOUND",
    "409, CONFLICT",
    "413, TOO_LARGE",
    "429, RATE_LIMITED",
    "502, UNAVAILABLE",
    "503, UNAVAILABLE",
    "504, UNAVAILABLE",
    "507, UNAVAILABLE",
    "500, SERVER_ERROR",
    "501, SERVER_ERROR"
  })
  void eachStatusHasItsKind(int status, MailroomClientException.Kind kind) {
    assertThat(MailroomClientException.Kind.ofStatus(status)).isEqualTo(kind);
  }

  @Test
  void aProblemDocumentIsReadWithItsFieldsAndRetryAfter() {
    String body =
        "{\"type\":\"/problems/rate-limited\",\"title\":\"Too many requests\",\"status\":429,"
            + "\"detail\":\"slow down\",\"request_id\":\"abc-1\"}";
    MailroomClientException e =
        ErrorAnswers.of(
            429,
            headers(
                Map.of(
                    "Content-Type", List.of("application/problem+json"),
                    "Retry-After", List.of("7"))),
            body.getBytes(StandardCharsets.UTF_8),
            Json.tolerantMapper());
    assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.requestId()).contains("abc-1");
    assertThat(e.detail()).isEqualTo("slow down");
    assertThat(e.kind().retryable()).isTrue();
  }

  @Test
  void anAnswerThatIsNotAProblemStillMakesOneWithTheHeadersRequestId() {
    MailroomClientException e =
        ErrorAnswers.of(
            502,
            headers(Map.of("Content-Type", List.of("text/html"), "X-Request-Id", List.of("r-9"))),
            "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8),
            Json.tolerantMapper());
    assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.UNAVAILABLE);
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.problem().orElseThrow().title()).isEqualTo("Bad gateway");
    assertThat(e.detail()).isEqualTo("<html>bad gateway</html>");
    assertThat(e.requestId()).contains("r-9");
    assertThat(e.retryAfter()).isEmpty();
  }
}
