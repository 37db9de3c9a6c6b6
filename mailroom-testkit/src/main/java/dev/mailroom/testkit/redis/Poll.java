package dev.mailroom.testkit.redis;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits for a condition on real processes, which come up and agree at their own pace. The check
 * says what is still missing instead of just "false", so that a timeout names the cause (which
 * node, which field) rather than only that something took too long.
 */
final class Poll {
  private static final long INTERVAL_MS = 25;

  private Poll() {}

  /**
   * Calls {@code pending} until it returns null (done) and throws when {@code timeout} passes
   * first. An exception from {@code pending} counts as "not yet" (a node still starting refuses
   * connections) and its message becomes the reason; only {@link GiveUp} ends the wait at once.
   *
   * @param what what is awaited, for the failure message
   * @param pending returns null when the condition holds, otherwise what is still missing
   * @throws IllegalStateException with the last reason when the timeout passes
   */
  static void until(String what, Duration timeout, Supplier<@Nullable String> pending) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String reason = "never checked";
    while (true) {
      try {
        String missing = pending.get();
        if (missing == null) {
          return;
        }
        reason = missing;
      } catch (GiveUp e) {
        throw e;
      } catch (RuntimeException e) {
        reason = e.toString();
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException(what + " did not happen within " + timeout + ": " + reason);
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(INTERVAL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }

  /** Thrown by a check that knows waiting longer cannot help, e.g. because the process exited. */
  static final class GiveUp extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    GiveUp(String message) {
      super(message);
    }
  }
}
