package dev.mailroom.protocol;

/**
 * The answer to {@code POST /v1/messages/{id}/ack}.
 *
 * @param acknowledged false when there was no pending delivery to acknowledge (already
 *     acknowledged, never pushed, or dead-lettered)
 */
public record AckResult(String id, boolean acknowledged) {}
