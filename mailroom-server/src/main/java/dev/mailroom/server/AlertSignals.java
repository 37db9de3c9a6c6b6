package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.alert.AlertEvaluator;
import dev.mailroom.core.alert.Reading;
import dev.mailroom.core.alert.Signal;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spool.Spool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the signals alert rules watch, from the store, the spool, the disk and this node's recent
 * requests; on the evaluating thread only. The per-subject signals read the {@value #TOP_BACKLOGS}
 * largest backlogs, once per evaluation for both of them (a read that groups every pending
 * delivery, the costly part of an evaluation), and each backlog still firing that is not among
 * them: a backlog smaller than those is not judged on its age until it is among the largest.
 */
final class AlertSignals implements AlertEvaluator.Readings {
  static final int TOP_BACKLOGS = 100;

  private final DeliveryStore deliveries;
  private final Optional<Spool> spool;
  private final Optional<Path> dataDir;
  private final RecentCounts recent;
  private final InstantSource clock;

  /** The largest backlogs, read once per evaluation for both backlog signals (or null). */
  private @Nullable List<Backlog> top;

  /**
   * @param dataDir the directory whose disk is watched (empty on Redis without a spool: the node
   *     keeps nothing on disk, and the signal reads as the largest value, never firing)
   */
  AlertSignals(
      DeliveryStore deliveries,
      Optional<Spool> spool,
      Optional<Path> dataDir,
      RecentCounts recent,
      InstantSource clock) {
    this.deliveries = deliveries;
    this.spool = spool;
    this.dataDir = dataDir;
    this.recent = recent;
    this.clock = clock;
  }

  @Override
  public void beginRound() {
    top = null;
  }

  @Override
  public List<Reading> read(Signal signal, Set<String> firing) {
    return switch (signal) {
      case DEAD_LETTERS -> List.of(Reading.of(deliveries.totals().deadLetters()));
      case BACKLOG_PENDING -> backlogs(firing).stream().map(b -> reading(b, b.pending())).toList();
      case BACKLOG_OLDEST_SECONDS ->
          backlogs(firing).stream().map(b -> reading(b, ageSeconds(b))).toList();
      case SPOOL_DEPTH -> List.of(Reading.of(spool.map(s -> s.stats().entries()).orElse(0L)));
      case ERROR_RATE -> List.of(Reading.of(recent.errorRate()));
      case DISK_FREE_BYTES -> List.of(Reading.of(diskFree()));
    };
  }

  /** The subject of a backlog: {@code <agent>/<way in>}. */
  static String subject(Backlog b) {
    return b.agent().value() + "/" + b.subscription().value();
  }

  private static Reading reading(Backlog b, double value) {
    return new Reading(subject(b), value);
  }

  private double ageSeconds(Backlog b) {
    Duration age = Duration.between(b.oldest().timestamp(), clock.instant());
    return Math.max(0, age.toMillis() / 1000.0);
  }

  private List<Backlog> backlogs(Set<String> firing) {
    if (top == null) {
      // The costly read: it groups every pending delivery (see DeliveryStore#backlogs).
      top = deliveries.backlogs(TOP_BACKLOGS);
    }
    List<Backlog> read = new ArrayList<>(top);
    Set<String> seen = new HashSet<>();
    read.forEach(b -> seen.add(subject(b)));
    for (String subject : firing) {
      if (seen.contains(subject)) {
        continue;
      }
      int slash = subject.indexOf('/');
      deliveries
          .backlog(
              AgentId.of(subject.substring(0, slash)),
              SubscriptionId.of(subject.substring(slash + 1)))
          .ifPresent(read::add); // absent: drained, which the evaluator reads as 0
    }
    return read;
  }

  private double diskFree() {
    if (dataDir.isEmpty()) {
      return Double.MAX_VALUE;
    }
    try {
      return Files.getFileStore(dataDir.get()).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + dataDir.get(), e);
    }
  }
}
