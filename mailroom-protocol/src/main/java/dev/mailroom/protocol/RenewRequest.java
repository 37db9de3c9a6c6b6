package dev.mailroom.protocol;

import java.util.Optional;

/**
 * The body of {@code POST /v1/reservations/{id}/renew}.
 *
 * @param ttlSeconds how long from now it lasts; one hour when absent
 */
public record RenewRequest(Optional<Long> ttlSeconds) {}
