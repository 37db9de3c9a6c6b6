package dev.mailroom.server;

import dev.mailroom.core.FieldError;
import java.util.List;

/**
 * A refusal that only HTTP has words for (415 for a body that is not JSON, 406 for an answer the
 * client will not accept), naming the header at fault. The domain's refusals are {@link
 * dev.mailroom.core.MailroomException}s; {@link HttpApi} answers both as problems.
 */
final class HttpRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient FieldError error;

  HttpRefusal(int status, String field, String message) {
    super(field + ": " + message, null, false, false);
    this.status = status;
    this.error = new FieldError(field, message);
  }

  int status() {
    return status;
  }

  List<FieldError> errors() {
    return List.of(error);
  }
}
