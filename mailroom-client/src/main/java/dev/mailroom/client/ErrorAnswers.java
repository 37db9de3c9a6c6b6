package dev.mailroom.client;

import dev.mailroom.protocol.Problem;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an error answer into a {@link MailroomClientException}. The server answers problems as
 * {@code application/problem+json}; anything else (a proxy's HTML page, an empty body) becomes a
 * problem with the status's own title and the start of the body as detail.
 */
final class ErrorAnswers {
  static final String REQUEST_ID = "X-Request-Id";
  private static final int MAX_DETAIL = 200;

  private ErrorAnswers() {}

  static MailroomClientException of(
      int status, HttpHeaders headers, byte[] body, JsonMapper mapper) {
    Optional<String> requestId = headers.firstValue(REQUEST_ID);
    Problem problem =
        parse(body, headers, mapper)
            .filter(p -> p.status() == status)
            .map(p -> p.requestId().isPresent() ? p : withRequestId(p, requestId))
            .orElseGet(() -> synthesized(status, body, requestId));
    return MailroomClientException.answer(problem, retryAfter(headers));
  }

  private static Optional<Problem> parse(byte[] body, HttpHeaders headers, JsonMapper mapper) {
    String type = headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (body.length == 0 || !type.contains("json")) {
      return Optional.empty();
    }
    try {
      return Optional.of(mapper.readValue(body, Problem.class));
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  private static Problem withRequestId(Problem p, Optional<String> requestId) {
    return new Problem(p.type(), p.title(), p.status(), p.detail(), requestId, p.errors());
  }

  private static Problem synthesized(int status, byte[] body, Optional<String> requestId) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.length() > MAX_DETAIL) {
      text = text.substring(0, MAX_DETAIL) + "...";
    }
    String title = title(status);
    return new Problem(
        "about:blank", title, status, text.isEmpty() ? title : text, requestId, List.of());
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthenticated";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload too large";
      case 429 -> "Too many requests";
      case 502 -> "Bad gateway";
      case 503 -> "Unavailable";
      case 504 -> "Gateway timeout";
      case 507 -> "Insufficient storage";
      default -> "HTTP " + status;
    };
  }

  /** {@code Retry-After} in seconds; an HTTP date, which Mailroom never sends, is ignored. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .map(String::strip)
        .filter(v -> v.matches("[0-9]{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }
}
