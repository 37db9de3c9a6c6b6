package dev.mailroom.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * How the SDK retries a send that got no answer (the connection broke, the wait timed out) or a
 * {@code 503}/{@code 502}/{@code 504}, or a {@code 507} (the store's disk is full; the server takes
 * writes again by itself once space is freed, and a refused send stored nothing): with {@link
 * #backoff} between attempts (or the server's {@code Retry-After}, when longer), for at most {@link
 * #budget} in all. A send is retried only with an idempotency key (the SDK adds one to a send that
 * has none), so that a retry whose first attempt was stored after all comes back as that send,
 * {@code duplicate}, never a second message.
 *
 * <p>Uploads and downloads ({@link Uploads}, {@link Attachments}) wait between attempts with the
 * same back-off, and also on {@code 429}; their budget runs from their last progress, so a long
 * transfer gives up only once nothing has moved for the whole budget.
 *
 * @param budget how long one send may keep retrying; {@link Duration#ZERO} never retries
 * @param backoff the waits between attempts
 */
public record SendRetry(Duration budget, Backoff backoff) {
  /** Retries for up to 30 s, waiting 100 ms, doubling, up to 5 s, half of each wait random. */
  public static final SendRetry DEFAULT =
      new SendRetry(
          Duration.ofSeconds(30), Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5)));

  /** Never retries. */
  public static final SendRetry NONE = new SendRetry(Duration.ZERO, Backoff.DEFAULT);

  public SendRetry {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(backoff, "backoff");
    if (budget.isNegative()) {
      throw new IllegalArgumentException("the retry budget must not be negative");
    }
  }

  /** Runs {@code send}, again while it fails in a way worth retrying and the budget allows. */
  <T> T run(Supplier<T> send) {
    long deadline = System.nanoTime() + budget.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return send.get();
      } catch (MailroomClientException e) {
        MailroomClientException.Kind kind = e.kind();
        if (kind != MailroomClientException.Kind.UNAVAILABLE
            && kind != MailroomClientException.Kind.CONNECTION_FAILED) {
          throw e;
        }
        Duration wait = backoff.delay(attempt, ThreadLocalRandom.current().nextDouble());
        if (e.retryAfter().isPresent() && e.retryAfter().get().compareTo(wait) > 0) {
          wait = e.retryAfter().get();
        }
        if (System.nanoTime() + wait.toNanos() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
