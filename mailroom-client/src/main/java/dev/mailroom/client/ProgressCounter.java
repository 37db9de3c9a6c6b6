package dev.mailroom.client;

/**
 * The bytes a transfer has done, added to from many threads and handed to its {@link
 * TransferProgress} one update at a time. Thread-safe.
 */
final class ProgressCounter {
  private final TransferProgress listener;
  private final long total;
  private long done;

  ProgressCounter(TransferProgress listener, long done, long total) {
    this.listener = listener;
    this.done = done;
    this.total = total;
  }

  /** Counts {@code bytes} more done and tells the listener. */
  synchronized void add(long bytes) {
    done += bytes;
    listener.update(done, total);
  }

  /** Counts everything up to {@code bytes} done, if more than so far, and tells the listener. */
  synchronized void reach(long bytes) {
    if (bytes > done) {
      done = bytes;
      listener.update(done, total);
    }
  }

  /** Tells the listener where the transfer starts (what a resume found already done). */
  synchronized void start() {
    listener.update(done, total);
  }

  synchronized long done() {
    return done;
  }
}
