package dev.mailroom.protocol;

import java.util.Optional;

/**
 * The optional body of {@code POST /v1/agents/{id}/token}.
 *
 * @param ttlSeconds the new token's lifetime; the server's default when absent
 */
public record TokenRequest(Optional<Long> ttlSeconds) {}
