package dev.mailroom.client;

import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.protocol.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every failure of the SDK: an error answer of the server (with its {@code
 * application/problem+json} document), or a connection that failed or timed out. {@link #kind()}
 * names the class of error; switch on it rather than on the status code.
 *
 * <p>Immutable and thread-safe.
 */
public final class MailroomClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The classes of error, each with its own exit code in the CLI. */
  public enum Kind {
    /** 400 and other refused requests (405, 406, 415, ...): the request is wrong; do not repeat. */
    BAD_REQUEST,
    /** 401: no token, an unknown one, or one that expired or was revoked. */
    UNAUTHENTICATED,
    /** 403: the caller may not do this. */
    FORBIDDEN,
    /** 404: no such message, mailbox, topic, subscription, dead letter, agent, rule or role. */
    NOT_FOUND,
    /** 409: the request conflicts with what exists (a taken id, a mailbox's name, a limit). */
    CONFLICT,
    /** 413: the payload or the body is too large. */
    TOO_LARGE,
    /** 429: too many requests; see {@link #retryAfter()}. */
    RATE_LIMITED,
    /**
     * 502, 503, 504, and 507 (the store's disk is full: the server takes writes again by itself
     * once space is freed): the server or its store cannot serve now; try again.
     */
    UNAVAILABLE,
    /** Another 5xx, or an answer the SDK could not read: a bug, worth reporting. */
    SERVER_ERROR,
    /** No answer: the server could not be reached, the connection broke, or the wait timed out. */
    CONNECTION_FAILED;

    /** The kind of an HTTP error status. */
    public static Kind ofStatus(int status) {
      return switch (status) {
        case 401 -> UNAUTHENTICATED;
        case 403 -> FORBIDDEN;
        case 404, 410 -> NOT_FOUND;
        case 409 -> CONFLICT;
        case 413 -> TOO_LARGE;
        case 429 -> RATE_LIMITED;
        case 502, 503, 504, 507 -> UNAVAILABLE;
        default -> status >= 400 && status < 500 ? BAD_REQUEST : SERVER_ERROR;
      };
    }

    /** Whether the same request may succeed later, unchanged. */
    public boolean retryable() {
      return this == RATE_LIMITED || this == UNAVAILABLE || this == CONNECTION_FAILED;
    }
  }

  private final Kind kind;
  private final int status;
  private final Optional<Problem> problem;
  private final Optional<Duration> retryAfter;

  private MailroomClientException(
      Kind kind,
      int status,
      Optional<Problem> problem,
      Optional<Duration> retryAfter,
      String message,
      @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** An error answer of the server. */
  static MailroomClientException answer(Problem problem, Optional<Duration> retryAfter) {
    String message =
        problem.status()
            + " "
            + problem.title()
            + ": "
            + problem.detail()
            + problem.requestId().map(id -> " (request " + id + ")").orElse("");
    return new MailroomClientException(
        Kind.ofStatus(problem.status()),
        problem.status(),
        Optional.of(problem),
        retryAfter,
        message,
        null);
  }

  /** No answer (or no usable one) came. */
  static MailroomClientException connection(String message, @Nullable Throwable cause) {
    return new MailroomClientException(
        Kind.CONNECTION_FAILED, 0, Optional.empty(), Optional.empty(), message, cause);
  }

  /** An answer came but could not be read: not Mailroom's, or of an incompatible version. */
  static MailroomClientException unreadable(int status, String message, Throwable cause) {
    return new MailroomClientException(
        Kind.SERVER_ERROR, status, Optional.empty(), Optional.empty(), message, cause);
  }

  /**
   * An answer whose bytes are not the ones the server vouched for: a download whose SHA-256 is not
   * the attachment's.
   */
  static MailroomClientException corrupt(int status, String message) {
    return new MailroomClientException(
        Kind.SERVER_ERROR, status, Optional.empty(), Optional.empty(), message, null);
  }

  /**
   * This failure with what was under way when it happened put before its message (the upload it
   * stopped, to resume): same kind, status and problem; this one is the cause.
   */
  MailroomClientException during(String what) {
    return new MailroomClientException(
        kind, status, problem, retryAfter, what + ": " + getMessage(), this);
  }

  /** The class of error. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status of the answer; 0 when there was none ({@link Kind#CONNECTION_FAILED}). */
  public int status() {
    return status;
  }

  /** The server's problem document; empty when there was no answer. */
  public Optional<Problem> problem() {
    return problem;
  }

  /** What went wrong in this request, for a human (the problem's detail, or the message). */
  public String detail() {
    return problem.map(Problem::detail).orElseGet(() -> String.valueOf(getMessage()));
  }

  /** The server's id of the request; quote it when reporting an error. */
  public Optional<String> requestId() {
    return problem.flatMap(Problem::requestId);
  }

  /** For a validation problem, every invalid field; otherwise empty. */
  public List<FieldErrorView> fieldErrors() {
    return problem.map(Problem::errors).orElse(List.of());
  }

  /** How long to wait before trying again, when the server said ({@code Retry-After}). */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
