package dev.mailroom.protocol;

/**
 * The body of {@code PUT /v1/admin/log-levels/{logger}} that sets a level. (The wire also takes
 * {@code {"level":null}}, which clears the logger's own level, as {@code DELETE} on the same path
 * does.)
 *
 * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR} or {@code
 *     OFF}, in any case
 */
public record LogLevelRequest(String level) {}
