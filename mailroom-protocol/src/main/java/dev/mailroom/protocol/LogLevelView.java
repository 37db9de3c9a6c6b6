package dev.mailroom.protocol;

import java.util.Optional;

/**
 * One logger's level on the answering server process ({@code /v1/admin/log-levels}).
 *
 * @param logger the logger's name; {@code ROOT} for the root logger
 * @param level the level set on this logger itself ({@code TRACE}, {@code DEBUG}, {@code INFO},
 *     {@code WARN}, {@code ERROR} or {@code OFF}); absent when it inherits its level from its
 *     nearest ancestor that has one
 * @param effectiveLevel the level in force: its own, or the inherited one
 * @param node the server process that answered, by the name of its audit chain; present on the
 *     answers about one logger, absent from the items of a list (the list names it once)
 */
public record LogLevelView(
    String logger, Optional<String> level, String effectiveLevel, Optional<String> node) {}
