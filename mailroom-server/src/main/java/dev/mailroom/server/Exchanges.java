package dev.mailroom.server;

import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.protocol.Problem;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/** Reading requests and writing answers on a Javalin {@link Context}. */
final class Exchanges {
  static final String JSON = "application/json";
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  private static final String PRINCIPAL = "mailroom.principal";
  private static final String REQUEST_ID = "mailroom.request-id";

  private Exchanges() {}

  static void principal(Context ctx, Principal principal) {
    ctx.attribute(PRINCIPAL, principal);
  }

  /** The authenticated caller; the auth filter guarantees one on every {@code /v1} route. */
  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new MailroomException.Unauthenticated("missing credentials");
    }
    return p;
  }

  static void requestId(Context ctx, String id) {
    ctx.attribute(REQUEST_ID, id);
    ctx.header(REQUEST_ID_HEADER, id);
  }

  static Optional<String> requestId(Context ctx) {
    return Optional.ofNullable(ctx.attribute(REQUEST_ID));
  }

  /**
   * The request body, at most {@code max} bytes.
   *
   * @throws MailroomException.LimitExceeded if the body is larger
   */
  static byte[] body(Context ctx, long max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw bodyTooLarge(max);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > max) {
        throw bodyTooLarge(max);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  private static MailroomException.LimitExceeded bodyTooLarge(long max) {
    return MailroomException.LimitExceeded.tooLarge(
        "the request body is larger than " + max + " bytes");
  }

  static void json(Context ctx, JsonMapper mapper, int status, Object body) {
    ctx.status(status).contentType(JSON).result(mapper.writeValueAsBytes(body));
  }

  static void problem(
      Context ctx,
      JsonMapper mapper,
      ErrorMapping mapping,
      String detail,
      List<FieldError> fieldErrors) {
    List<FieldErrorView> errors = new ArrayList<>(fieldErrors.size());
    for (FieldError e : fieldErrors) {
      errors.add(new FieldErrorView(e.field(), e.message()));
    }
    Problem problem =
        new Problem(
            mapping.type(), mapping.title(), mapping.status(), detail, requestId(ctx), errors);
    ctx.status(mapping.status())
        .contentType(Problem.MEDIA_TYPE)
        .result(mapper.writeValueAsBytes(problem));
  }
}
