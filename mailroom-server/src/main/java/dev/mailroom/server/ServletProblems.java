package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Problem answers ({@code application/problem+json}, RFC 9457) written straight to a servlet
 * response, for a {@link ServletEndpoint} and its gate, which answer outside Javalin: the same
 * types, titles and request ids as every other answer of the server. Stateless and thread-safe.
 */
public final class ServletProblems {
  private ServletProblems() {}

  /**
   * Answers {@code status} with a problem, unless the response is committed already.
   *
   * @param detail what was wrong with this request, for a human; never a secret or a stack
   * @param errors the fields (or headers) at fault, if any
   * @param members extension members added beside the problem's own (RFC 9457 §3.2), such as a
   *     JSON-RPC error for a client that reads one; a null value is written as JSON null
   * @throws IOException if the answer cannot be written (the client went away)
   */
  public static void write(
      HttpServletResponse res,
      int status,
      String detail,
      List<FieldErrorView> errors,
      Map<String, ? extends @Nullable Object> members)
      throws IOException {
    if (res.isCommitted()) {
      return;
    }
    ErrorMapping m = ErrorMapping.ofStatus(status);
    Optional<String> id = Optional.ofNullable(res.getHeader(Exchanges.REQUEST_ID_HEADER));
    ObjectNode body =
        Json.mapper().valueToTree(new Problem(m.type(), m.title(), status, detail, id, errors));
    members.forEach(
        (k, v) -> {
          if (v == null) {
            body.putNull(k);
          } else {
            body.set(k, Json.mapper().valueToTree(v));
          }
        });
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    res.resetBuffer();
    res.setStatus(status);
    res.setContentType(Problem.MEDIA_TYPE);
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }

  /** Answers {@code status} with a problem naming one field (or header) at fault. */
  public static void write(HttpServletResponse res, int status, String field, String message)
      throws IOException {
    write(
        res, status, field + ": " + message, List.of(new FieldErrorView(field, message)), Map.of());
  }

  /** Answers a refusal of the server's own (as {@code /v1} answers it), with its headers. */
  static void write(HttpServletResponse res, MailroomException e) throws IOException {
    ErrorMapping m = ErrorMapping.of(e.code());
    HttpApi.problemHeaders(e).forEach(res::setHeader);
    List<FieldErrorView> errors =
        e instanceof MailroomException.InvalidRequest invalid
            ? invalid.errors().stream()
                .map(f -> new FieldErrorView(f.field(), f.message()))
                .toList()
            : List.of();
    write(res, m.status(), detail(e), errors, Map.of());
  }

  /** The detail of a refusal: its message, or its fields in one line. */
  static String detail(MailroomException e) {
    if (e instanceof MailroomException.InvalidRequest invalid && !invalid.errors().isEmpty()) {
      return String.join(
          "; ", invalid.errors().stream().map(f -> f.field() + ": " + f.message()).toList());
    }
    return e.getMessage() == null ? ErrorMapping.of(e.code()).title() : e.getMessage();
  }
}
