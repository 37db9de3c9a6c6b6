package dev.mailroom.client;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits between the attempts of a transfer step (a part, a download, a completion), as the
 * client's {@link SendRetry} sets them, except that the budget runs from the transfer's last
 * progress rather than from its start: a long upload over a poor line keeps going while it gets
 * somewhere, and gives up once nothing has moved for the whole budget. Immutable and thread-safe.
 */
final class Retrier {
  private final SendRetry settings;

  Retrier(SendRetry settings) {
    this.settings = settings;
  }

  /**
   * Waits before the attempt after {@code failed}, the {@code attempt}th in a row to fail, or
   * throws {@code failed} when it is not worth repeating or the wait would take the transfer past
   * its budget since {@code progressNanos} (a {@link System#nanoTime()}).
   */
  void pause(MailroomClientException failed, int attempt, long progressNanos) {
    if (!failed.kind().retryable()) {
      throw failed;
    }
    Duration wait = settings.backoff().delay(attempt, ThreadLocalRandom.current().nextDouble());
    if (failed.retryAfter().isPresent() && failed.retryAfter().get().compareTo(wait) > 0) {
      wait = failed.retryAfter().get();
    }
    if (System.nanoTime() + wait.toNanos() - progressNanos > settings.budget().toNanos()) {
      throw failed;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed;
    }
  }

  /**
   * Whether a request that failed so may be repeated when repeating it could create something twice
   * ({@code POST /v1/uploads}): only when the server answered that it did nothing, or was never
   * reached.
   */
  static boolean nothingHappened(MailroomClientException e) {
    return switch (e.kind()) {
      case RATE_LIMITED, UNAVAILABLE -> true;
      case CONNECTION_FAILED -> e.getCause() instanceof ConnectException;
      default -> false;
    };
  }
}
