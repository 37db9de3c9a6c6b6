package dev.mailroom.server;

import dev.mailroom.protocol.Problem;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jetty's own error answers (a request it cannot parse, headers too large, a URI it refuses) as
 * problem+json instead of an HTML page. Everything that reaches Javalin is answered by {@link
 * HttpApi}; this covers what never gets that far.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final JsonMapper mapper;

  ProblemErrorHandler(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      @Nullable String message,
      @Nullable Throwable cause,
      Callback callback) {
    byte[] body = problem(code, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(
      int status, @Nullable String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    return ByteBuffer.wrap(problem(status, reason));
  }

  private byte[] problem(int status, @Nullable String message) {
    ErrorMapping m = ErrorMapping.ofStatus(status);
    String detail =
        message == null || message.isBlank()
            ? "the server could not process this HTTP request"
            : "the server could not process this HTTP request: " + message;
    return mapper.writeValueAsBytes(
        new Problem(m.type(), m.title(), status, detail, Optional.empty(), List.of()));
  }
}
