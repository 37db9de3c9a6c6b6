package dev.mailroom.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, so that expiry, dedupe windows and id times are
 * tested without sleeping. Thread-safe: readers on other threads see every move at once.
 */
public final class MutableClock implements InstantSource {
  private final AtomicReference<Instant> now;

  private MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock standing at {@code start}. */
  public static MutableClock of(Instant start) {
    return new MutableClock(start);
  }

  /** Moves the clock by {@code step} (which may be negative) and returns the new time. */
  public Instant advance(Duration step) {
    return now.updateAndGet(t -> t.plus(step));
  }

  /** Moves the clock to {@code time}, forwards or backwards. */
  public void set(Instant time) {
    now.set(time);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
