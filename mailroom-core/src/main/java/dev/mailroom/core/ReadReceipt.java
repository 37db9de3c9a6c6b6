package dev.mailroom.core;

import java.time.Instant;

/** That {@code reader} marked a message read at {@code readAt}. */
public record ReadReceipt(AgentId reader, Instant readAt) {}
