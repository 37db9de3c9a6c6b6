package dev.mailroom.bench.compare;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * S2's opt-in trace ({@code bin/bench compare --s2-slowest N}): the {@code N} slowest deliveries of
 * one case among the messages due in the measurement window, each with its due time on the wall
 * clock, its publish-to-consume latency and its publish (acknowledgement) latency, so that the tail
 * can be lined up with a flight recording or GC log of the same run. It wraps the consumer's
 * handler and changes nothing of what the scenario measures.
 *
 * <p>{@link #onMessage} may be called from any thread; {@link #acked} from each publisher thread
 * for its own sequence numbers, read only after those threads have been joined.
 */
final class SlowestDeliveries implements MessagingSystem.MessageHandler {
  /** Where the traces go: {@code count} deliveries per S2 case, appended to {@code file}. */
  record Log(int count, Path file) {
    Log {
      if (count <= 0) {
        throw new IllegalArgumentException("--s2-slowest needs a positive count, got " + count);
      }
    }

    /**
     * The CSV next to a results file: {@code compare-X.jsonl} → {@code compare-X-s2-slowest.csv}.
     */
    static Log nextTo(Path results, int count) {
      String name = results.getFileName().toString();
      String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
      return new Log(count, results.resolveSibling(base + "-s2-slowest.csv"));
    }
  }

  /** One delivery: when it was due ({@link System#nanoTime()}) and how late it arrived. */
  record Slow(long seq, long dueNanos, long latencyNanos) {}

  static final String HEADER = "system,run,rate,seq,due_utc,due_epoch_us,e2e_ms,ack_ms";

  private static final Comparator<Slow> BY_LATENCY = Comparator.comparingLong(Slow::latencyNanos);

  private final MessagingSystem.MessageHandler delegate;
  private final Tally.Window window;
  private final int limit;
  private final long[] ackedAt; // by seq, System.nanoTime() of the acknowledgement; 0 = none
  private final PriorityQueue<Slow> slowest = new PriorityQueue<>(BY_LATENCY); // guarded by this
  private final long epochMinusNano;

  /**
   * @param delegate the handler that measures (the case's {@link Tally})
   * @param window the measurement window: only messages due in it are candidates
   * @param limit how many of the slowest to keep
   * @param sequences the highest sequence number the case can publish, plus one
   */
  SlowestDeliveries(
      MessagingSystem.MessageHandler delegate, Tally.Window window, int limit, int sequences) {
    this.delegate = delegate;
    this.window = window;
    this.limit = limit;
    this.ackedAt = new long[sequences];
    Instant now = Instant.now();
    this.epochMinusNano = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
  }

  @Override
  public void onMessage(byte[] payload) {
    long now = System.nanoTime();
    delegate.onMessage(payload);
    if (payload.length < Payloads.HEADER) {
      return;
    }
    long due = Payloads.sendNanos(payload);
    if (window.contains(due)) {
      offer(new Slow(Payloads.seq(payload), due, Math.max(0, now - due)));
    }
  }

  /** Records when the publish of {@code seq} was acknowledged. */
  void acked(long seq, long nanos) {
    if (seq >= 0 && seq < ackedAt.length) {
      ackedAt[(int) seq] = nanos;
    }
  }

  synchronized void offer(Slow s) {
    if (slowest.size() < limit) {
      slowest.add(s);
    } else if (BY_LATENCY.compare(s, slowest.peek()) > 0) {
      slowest.poll();
      slowest.add(s);
    }
  }

  /** The slowest deliveries kept, slowest first. */
  synchronized List<Slow> slowest() {
    List<Slow> all = new ArrayList<>(slowest);
    all.sort(BY_LATENCY.reversed());
    return all;
  }

  /** The CSV lines (no header) of this case, slowest first. */
  List<String> lines(String system, int run, int rate) {
    List<String> lines = new ArrayList<>();
    for (Slow s : slowest()) {
      long epochNanos = s.dueNanos() + epochMinusNano;
      Instant due = Instant.ofEpochSecond(0, epochNanos);
      long acked = s.seq() < ackedAt.length ? ackedAt[(int) s.seq()] : 0;
      String ack = acked == 0 ? "" : ms(acked - s.dueNanos());
      lines.add(
          String.join(
              ",",
              system,
              Integer.toString(run),
              Integer.toString(rate),
              Long.toString(s.seq()),
              due.toString(),
              Long.toString(Math.floorDiv(epochNanos, 1_000L)),
              ms(s.latencyNanos()),
              ack));
    }
    return lines;
  }

  /** Appends this case's lines to the log's file, with the header if the file is new. */
  void append(Log log, String system, int run, int rate) throws IOException {
    Path file = log.file();
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    try (BufferedWriter w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      if (fresh) {
        w.write(HEADER);
        w.newLine();
      }
      for (String line : lines(system, run, rate)) {
        w.write(line);
        w.newLine();
      }
    }
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
