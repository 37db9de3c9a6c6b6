package dev.mailroom.protocol;

/**
 * The answer to {@code DELETE /v1/dlq}.
 *
 * @param purged how many dead letters were removed
 */
public record PurgeResult(int purged) {}
