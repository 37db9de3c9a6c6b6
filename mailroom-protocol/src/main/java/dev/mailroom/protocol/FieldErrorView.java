package dev.mailroom.protocol;

/**
 * One invalid field of a request, inside a {@link Problem}.
 *
 * @param field the field's wire name, e.g. {@code target}, {@code tags[2]} or a query parameter
 * @param message what is wrong with it
 */
public record FieldErrorView(String field, String message) {}
