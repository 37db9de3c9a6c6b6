package dev.mailroom.core.spi;

/**
 * What one cleaning pass removed.
 *
 * @param messages expired messages removed
 * @param readStates read-state records past their retention removed
 * @param idempotencyKeys idempotency keys past the dedupe window forgotten
 * @param more whether a limit stopped the pass before everything due was removed
 */
public record CleanupReport(long messages, long readStates, long idempotencyKeys, boolean more) {
  public long total() {
    return messages + readStates + idempotencyKeys;
  }
}
