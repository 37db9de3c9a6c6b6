package dev.mailroom.server;

import dev.mailroom.protocol.Problem;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jetty's own error answers (a request it cannot parse, headers too large, a URI it refuses, a path
 * that does not decode) as problem+json with a request id, instead of an HTML page or an empty
 * body. Everything that reaches Javalin is answered by {@link HttpApi}; this covers what never gets
 * that far, on the server and on its servlet context alike. Jetty's reason is kept only where it
 * describes the request (never a Java type or a stack).
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final JsonMapper mapper;
  private final UnaryOperator<@Nullable String> requestIds;

  /**
   * @param requestIds the request id for the client's {@code X-Request-Id} (or its absence)
   */
  ProblemErrorHandler(JsonMapper mapper, UnaryOperator<@Nullable String> requestIds) {
    this.mapper = mapper;
    this.requestIds = requestIds;
  }

  /** Every refusal gets its problem body; Jetty's default writes one for GET and POST only. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      @Nullable String message,
      @Nullable Throwable cause,
      Callback callback) {
    String id = response.getHeaders().get(Exchanges.REQUEST_ID_HEADER);
    if (id == null) {
      id = requestIds.apply(request.getHeaders().get(Exchanges.REQUEST_ID_HEADER));
      response.getHeaders().put(Exchanges.REQUEST_ID_HEADER, id);
    }
    byte[] body = problem(code, message, id);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(
      int status, @Nullable String reason, HttpFields.Mutable fields) {
    // The request could not be parsed: its own X-Request-Id, if any, cannot be trusted.
    String id = requestIds.apply(null);
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    fields.put(Exchanges.REQUEST_ID_HEADER, id);
    return ByteBuffer.wrap(problem(status, reason, id));
  }

  private byte[] problem(int status, @Nullable String reason, String id) {
    ErrorMapping m = ErrorMapping.ofStatus(status);
    return mapper.writeValueAsBytes(
        new Problem(
            m.type(), m.title(), m.status(), detail(status, reason), Optional.of(id), List.of()));
  }

  /** What was wrong with the request, in words that name its part. */
  static String detail(int status, @Nullable String reason) {
    String why = reason == null || reason.isBlank() || !plain(reason) ? "" : " (" + reason + ")";
    return switch (status) {
      case 414 -> "the request's URI is too long" + why;
      case 431 -> "the request's header fields are too large" + why;
      case 400 ->
          "the request line, the path or a header is malformed: the path must be valid UTF-8"
              + " without encoded control characters, and header values printable"
              + why;
      case 408 -> "the request was not received in time" + why;
      case 413 -> "the request body is too large" + why;
      default -> "the server could not process this HTTP request" + why;
    };
  }

  /** Whether Jetty's reason is a short phrase about the request, safe and useful to repeat. */
  private static boolean plain(String reason) {
    return reason.length() <= 120
        && reason.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
        && !reason.contains("Exception")
        && !reason.contains("java.")
        && !reason.contains("org.eclipse");
  }
}
