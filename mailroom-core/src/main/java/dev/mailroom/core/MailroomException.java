package dev.mailroom.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one unchecked exception family of Mailroom. Each subclass carries an {@link ErrorCode};
 * callers map the code, never the class hierarchy, to protocol-specific answers.
 */
public abstract sealed class MailroomException extends RuntimeException {

  private final ErrorCode code;

  private MailroomException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * The same refusal for one item of a batch: its message begins with {@code item}, and an invalid
   * request's fields are named under it ({@code messages[2]} and {@code target} give {@code
   * messages[2].target}). An {@link Unavailable} is the whole request's, and comes back as it is.
   */
  public MailroomException forItem(String item) {
    String message = item + ": " + getMessage();
    return switch (this) {
      case InvalidRequest i ->
          new InvalidRequest(
              i.code(),
              message,
              i.errors().stream()
                  .map(e -> new FieldError(item + "." + e.field(), e.message()))
                  .toList());
      case Unauthenticated u -> new Unauthenticated(message);
      case Forbidden f -> new Forbidden(message);
      case NotFound n -> new NotFound(message);
      case Conflict c -> new Conflict(message);
      case LimitExceeded l -> new LimitExceeded(l.code(), message, l.retryAfter());
      case Unavailable u -> u;
    };
  }

  /** Bad input. Carries every field error found, not just the first. */
  public static final class InvalidRequest extends MailroomException {
    private final List<FieldError> errors;

    public InvalidRequest(String message, List<FieldError> errors) {
      this(ErrorCode.INVALID_REQUEST, message, errors);
    }

    private InvalidRequest(ErrorCode code, String message, List<FieldError> errors) {
      super(code, message, null);
      this.errors = List.copyOf(errors);
    }

    /**
     * Bytes that do not match their checksum ({@link ErrorCode#CHECKSUM_MISMATCH}), naming what
     * carried them (such as {@code part 3}).
     */
    public static InvalidRequest checksumMismatch(String field, String message) {
      return new InvalidRequest(
          ErrorCode.CHECKSUM_MISMATCH,
          field + ": " + message,
          List.of(new FieldError(field, message)));
    }

    /** One invalid field. */
    public static InvalidRequest field(String field, String message) {
      return new InvalidRequest(field + ": " + message, List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /** Missing or unknown credentials. */
  public static final class Unauthenticated extends MailroomException {
    public Unauthenticated(String message) {
      super(ErrorCode.UNAUTHENTICATED, message, null);
    }
  }

  /** The caller may not perform this operation. */
  public static final class Forbidden extends MailroomException {
    public Forbidden(String message) {
      super(ErrorCode.FORBIDDEN, message, null);
    }
  }

  /** The resource does not exist. */
  public static final class NotFound extends MailroomException {
    public NotFound(String message) {
      super(ErrorCode.NOT_FOUND, message, null);
    }
  }

  /** The request conflicts with existing state. */
  public static final class Conflict extends MailroomException {
    public Conflict(String message) {
      super(ErrorCode.CONFLICT, message, null);
    }
  }

  /** A size, time, count or rate limit was exceeded. */
  public static final class LimitExceeded extends MailroomException {
    private final Optional<Duration> retryAfter;

    private LimitExceeded(ErrorCode code, String message, Optional<Duration> retryAfter) {
      super(code, message, null);
      this.retryAfter = retryAfter;
    }

    public static LimitExceeded tooLarge(String message) {
      return new LimitExceeded(ErrorCode.PAYLOAD_TOO_LARGE, message, Optional.empty());
    }

    /** The caller holds its maximum of something it may also remove (a per-agent cap). */
    public static LimitExceeded quota(String message) {
      return new LimitExceeded(ErrorCode.QUOTA_EXCEEDED, message, Optional.empty());
    }

    /** The request's headers or body took longer to arrive than allowed. */
    public static LimitExceeded timedOut(String message) {
      return new LimitExceeded(ErrorCode.REQUEST_TIMEOUT, message, Optional.empty());
    }

    public static LimitExceeded rateLimited(String message, Duration retryAfter) {
      return new LimitExceeded(ErrorCode.RATE_LIMITED, message, Optional.of(retryAfter));
    }

    /** How long the caller should wait before trying again, when known. */
    public Optional<Duration> retryAfter() {
      return retryAfter;
    }
  }

  /**
   * The server cannot serve the request now; trying again later may succeed. When the store cannot
   * write because of its file system, the refusal names that {@link #fault()}, and its code is the
   * fault's ({@link ErrorCode#INSUFFICIENT_STORAGE} for a full disk).
   */
  public static final class Unavailable extends MailroomException {
    private final Optional<StorageFault> fault;

    public Unavailable(String message, @Nullable Throwable cause) {
      super(ErrorCode.UNAVAILABLE, message, cause);
      this.fault = Optional.empty();
    }

    private Unavailable(StorageFault fault, String message) {
      super(fault.code(), message, null);
      this.fault = Optional.of(fault);
    }

    /**
     * The store cannot write because of {@code fault}; nothing of the write was stored. The message
     * names the cause, never the database's own error (the store logs that).
     */
    public static Unavailable storage(StorageFault fault) {
      return new Unavailable(fault, fault.description() + ": the message store cannot write now");
    }

    /** The file system fault that refused the write, if that was the cause. */
    public Optional<StorageFault> fault() {
      return fault;
    }
  }
}
