package dev.mailroom.bench.compare;

import java.util.BitSet;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What one consumer received: which sequence numbers (to find losses and duplicates), its
 * publish-to-consume latency (nanoseconds, for messages sent inside the measurement window), how
 * many arrived inside the window, and when the first and last new ones arrived. Thread-safe: a
 * system may call the handler from any thread of its client.
 */
final class Tally implements MessagingSystem.MessageHandler {
  private final Window window;
  private final LongAdder allDeliveries;
  private final BitSet seen = new BitSet();
  private final Histogram latency = new Histogram(3);
  private long distinct;
  private long duplicates;
  private long malformed;
  private long inWindow;
  private long firstNanos;
  private long lastNanos;

  /**
   * @param window what counts as measured: messages sent in it are in the latency, deliveries
   *     received in it in {@link #inWindow()}
   * @param allDeliveries counts every delivery, shared by the consumers of one scenario
   */
  Tally(Window window, LongAdder allDeliveries) {
    this.window = window;
    this.allDeliveries = allDeliveries;
  }

  @Override
  public void onMessage(byte[] payload) {
    long now = System.nanoTime();
    allDeliveries.increment();
    synchronized (this) {
      if (payload.length < Payloads.HEADER) {
        malformed++;
        return;
      }
      long seq = Payloads.seq(payload);
      long sent = Payloads.sendNanos(payload);
      if (seq < 0 || seq >= Integer.MAX_VALUE) {
        malformed++;
        return;
      }
      if (seen.get((int) seq)) {
        duplicates++;
        return;
      }
      seen.set((int) seq);
      if (distinct++ == 0) {
        firstNanos = now;
      }
      lastNanos = now;
      if (window.contains(sent)) {
        latency.recordValue(Math.max(0, now - sent));
      }
      if (window.contains(now)) {
        inWindow++;
      }
      notifyAll();
    }
  }

  /**
   * Waits until {@code expected} distinct messages have arrived, or until none has arrived for
   * {@code quietNanos}; returns whether all did.
   */
  synchronized boolean await(long expected, long quietNanos) throws InterruptedException {
    long lastCount = distinct;
    long lastProgress = System.nanoTime();
    while (distinct < expected) {
      long now = System.nanoTime();
      if (distinct != lastCount) {
        lastCount = distinct;
        lastProgress = now;
      } else if (now - lastProgress >= quietNanos) {
        return false;
      }
      wait(10);
    }
    return true;
  }

  /** How many of the {@code acked} sequence numbers never arrived. */
  synchronized long missing(BitSet acked) {
    BitSet lost = (BitSet) acked.clone();
    lost.andNot(seen);
    return lost.cardinality();
  }

  synchronized long distinct() {
    return distinct;
  }

  synchronized long duplicates() {
    return duplicates;
  }

  synchronized long malformed() {
    return malformed;
  }

  synchronized long inWindow() {
    return inWindow;
  }

  synchronized long firstNanos() {
    return firstNanos;
  }

  synchronized long lastNanos() {
    return lastNanos;
  }

  /** Adds this consumer's latencies to {@code into}. */
  synchronized void addLatencyTo(Histogram into) {
    into.add(latency);
  }

  /** A measurement window on the {@link System#nanoTime()} clock; everything until set. */
  static final class Window {
    private volatile long from = Long.MIN_VALUE;
    private volatile long to = Long.MAX_VALUE;

    void set(long fromNanos, long toNanos) {
      from = fromNanos;
      to = toNanos;
    }

    boolean contains(long nanos) {
      return nanos >= from && nanos < to;
    }

    long from() {
      return from;
    }

    long to() {
      return to;
    }
  }
}
