package dev.mailroom.server;

import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.protocol.Problem;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** Reading requests and writing answers on a Javalin {@link Context}. */
final class Exchanges {
  static final String JSON = "application/json";
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  static final String CONTENT_TYPE = "Content-Type";
  private static final String PRINCIPAL = "mailroom.principal";
  static final long SMALL_BODY = 256 * 1024;

  /** The most of a refused body read and dropped, so the client reads the 413 (see drain). */
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  private static final String REQUEST_ID = "mailroom.request-id";
  private static final String AUDIT_RESOURCE = "mailroom.audit-resource";
  private static final String PROBLEM_DETAIL = "mailroom.problem-detail";
  private static final String PROBLEM_TYPE = "mailroom.problem-type";

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

  /** The authenticated caller, if the request got that far. */
  static Optional<Principal> authenticated(Context ctx) {
    return Optional.ofNullable(ctx.attribute(PRINCIPAL));
  }

  /**
   * Names what a request acts on, for its audit record, when that is not in its path (a send's
   * target, a new agent's id). Never pass a secret or a body.
   */
  static void auditResource(Context ctx, String resource) {
    ctx.attribute(AUDIT_RESOURCE, resource);
  }

  static Optional<String> auditResource(Context ctx) {
    return Optional.ofNullable(ctx.attribute(AUDIT_RESOURCE));
  }

  /** The detail of the problem answered, if the request was answered with one. */
  static Optional<String> problemDetail(Context ctx) {
    return Optional.ofNullable(ctx.attribute(PROBLEM_DETAIL));
  }

  /** The type of the problem the request was answered with, if it was ({@code /problems/...}). */
  static Optional<String> problemType(Context ctx) {
    return Optional.ofNullable(ctx.attribute(PROBLEM_TYPE));
  }

  /**
   * Refuses a caller without the admin role.
   *
   * @param what what only an admin may do, as in "only an admin may {@code what}"
   * @throws MailroomException.Forbidden if the caller is not an admin
   */
  static void requireAdmin(Context ctx, String what) {
    if (!principal(ctx).isAdmin()) {
      throw new MailroomException.Forbidden("only an admin may " + what);
    }
  }

  static void requestId(Context ctx, String id) {
    ctx.attribute(REQUEST_ID, id);
    ctx.header(REQUEST_ID_HEADER, id);
  }

  static Optional<String> requestId(Context ctx) {
    return Optional.ofNullable(ctx.attribute(REQUEST_ID));
  }

  /**
   * The request body as a stream that refuses to read past {@code max} bytes.
   *
   * @throws MailroomException.LimitExceeded if the declared length is larger, or (from the stream's
   *     read methods) once more than {@code max} bytes arrive
   */
  static InputStream body(Context ctx, long max) {
    requireJson(ctx.req().getHeaders("Content-Type"));
    long declared = ctx.req().getContentLengthLong();
    try {
      InputStream in = ctx.req().getInputStream();
      if (declared > max) {
        if (declared <= DRAIN_LIMIT) {
          drain(in);
        }
        throw bodyTooLarge(max);
      }
      if (declared >= 0 && declared <= SMALL_BODY) {
        // The usual send: one exact read, then parsing from memory, which is cheaper than
        // pulling the body through the container's stream chunk by chunk.
        return new ByteArrayInputStream(in.readNBytes((int) declared));
      }
      return new LimitedInputStream(in, max);
    } catch (IOException e) {
      // The client stopped sending (or the server is stopping): an incomplete body is bad input.
      throw MailroomException.InvalidRequest.field(
          "body", "could not be read to its end: " + e.getMessage());
    }
  }

  /**
   * Refuses a body declared as anything but JSON in UTF-8 (an absent {@code Content-Type} is taken
   * as JSON): an XML, form or UTF-16 body must not be read as if it were JSON.
   *
   * @throws HttpRefusal 415 naming {@code Content-Type}
   */
  static void requireJson(Enumeration<String> contentTypes) {
    if (contentTypes == null || !contentTypes.hasMoreElements()) {
      return;
    }
    String given = contentTypes.nextElement();
    if (contentTypes.hasMoreElements()) {
      throw new HttpRefusal(415, CONTENT_TYPE, "must be sent once");
    }
    if (!MediaTypes.isJson(given)) {
      throw new HttpRefusal(
          415, CONTENT_TYPE, "must be " + JSON + " (UTF-8, the only charset accepted)");
    }
  }

  /** Counts what is read and fails with 413 past the limit. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final long max;
    private long count;

    LimitedInputStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }

    private void counted(long n) {
      count += n;
      if (count > max) {
        drain(in);
        throw bodyTooLarge(max);
      }
    }
  }

  /**
   * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT}. A client still
   * sending then reads the 413; had the server closed the connection on unread bytes, the client
   * would often see the connection reset instead of the answer.
   */
  static void drain(InputStream in) {
    byte[] buf = new byte[16 * 1024];
    long left = DRAIN_LIMIT;
    try {
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // the client went away: nothing left to answer
    }
  }

  private static MailroomException.LimitExceeded bodyTooLarge(long max) {
    return MailroomException.LimitExceeded.tooLarge(
        "the request body is larger than " + max + " bytes");
  }

  static void json(Context ctx, JsonMapper mapper, int status, Object body) {
    ctx.status(status).contentType(JSON).result(mapper.writeValueAsBytes(body));
  }

  static void json(Context ctx, ObjectWriter writer, int status, Object body) {
    ctx.status(status).contentType(JSON).result(writer.writeValueAsBytes(body));
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
    ctx.attribute(PROBLEM_DETAIL, detail);
    ctx.attribute(PROBLEM_TYPE, mapping.type());
    ctx.status(mapping.status())
        .contentType(Problem.MEDIA_TYPE)
        .result(mapper.writeValueAsBytes(problem));
  }

  /**
   * Answers a problem document with members beyond {@link Problem}'s ({@code document}, whose
   * {@code status}, {@code type} and {@code detail} are these), recorded like any problem.
   */
  static void problem(
      Context ctx, JsonMapper mapper, ErrorMapping mapping, String detail, Object document) {
    ctx.attribute(PROBLEM_DETAIL, detail);
    ctx.attribute(PROBLEM_TYPE, mapping.type());
    ctx.status(mapping.status())
        .contentType(Problem.MEDIA_TYPE)
        .result(mapper.writeValueAsBytes(document));
  }
}
