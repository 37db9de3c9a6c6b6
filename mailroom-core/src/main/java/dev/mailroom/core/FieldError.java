package dev.mailroom.core;

import java.util.Objects;

/**
 * One invalid field of a request.
 *
 * @param field the field's wire name, e.g. {@code target} or {@code tags[2]}
 * @param message what is wrong with it, for a human
 */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
