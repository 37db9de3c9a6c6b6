package dev.mailroom.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects field errors while a request is converted, so that one answer names every bad field. Not
 * thread-safe: one instance per request.
 */
public final class FieldErrors {
  private final List<FieldError> errors = new ArrayList<>();

  /**
   * Runs a validating factory; records its {@link MailroomException.InvalidRequest} under {@code
   * field} instead of throwing.
   */
  public <T> Optional<T> capture(String field, Supplier<T> factory) {
    try {
      return Optional.of(factory.get());
    } catch (MailroomException.InvalidRequest e) {
      e.errors().forEach(err -> errors.add(new FieldError(field, err.message())));
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(field, String.valueOf(e.getMessage())));
      return Optional.empty();
    }
  }

  public void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** How many errors are recorded: a caller compares counts to see whether a step added any. */
  public int size() {
    return errors.size();
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Throws one {@link MailroomException.InvalidRequest} naming every recorded field, if any. */
  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new MailroomException.InvalidRequest("The request has invalid fields", errors);
    }
  }
}
