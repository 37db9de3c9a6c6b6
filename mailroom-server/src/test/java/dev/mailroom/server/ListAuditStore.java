package dev.mailroom.server;

import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An audit store over one list, with the tampering an attacker with write access to a real store
 * could do: edit or remove stored records. Thread-safe (every method holds the list's lock); tests
 * override {@link #append} to delay or fail it.
 */
class ListAuditStore implements AuditStore {
  private final List<AuditRecord> records = new ArrayList<>();

  @Override
  public synchronized void append(List<AuditRecord> batch) {
    records.addAll(batch);
  }

  @Override
  public synchronized AuditPage query(AuditQuery query) {
    Comparator<AuditPosition> order =
        query.order() == Order.ASC
            ? Comparator.naturalOrder()
            : Comparator.<AuditPosition>naturalOrder().reversed();
    List<AuditRecord> matching =
        records.stream()
            .filter(query::matches)
            .filter(r -> query.after().map(a -> order.compare(r.position(), a) > 0).orElse(true))
            .sorted(Comparator.comparing(AuditRecord::position, order))
            .toList();
    List<AuditRecord> page = matching.subList(0, Math.min(query.limit(), matching.size()));
    return new AuditPage(
        page,
        matching.size() > page.size() ? Optional.of(page.getLast().position()) : Optional.empty());
  }

  @Override
  public synchronized List<AuditRecord> chain(String chain, long fromIndex, int limit) {
    return records.stream()
        .filter(r -> r.chain().equals(chain) && r.index() >= fromIndex)
        .sorted(Comparator.comparingLong(AuditRecord::index))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<String> chains() {
    return records.stream().map(AuditRecord::chain).distinct().sorted().toList();
  }

  @Override
  public synchronized int purgeBefore(Instant cutoff, int max) {
    List<AuditRecord> due =
        records.stream()
            .filter(r -> r.at().isBefore(cutoff))
            .sorted(Comparator.comparing(AuditRecord::position))
            .limit(max)
            .toList();
    records.removeAll(due);
    return due.size();
  }

  synchronized List<AuditRecord> all() {
    return List.copyOf(records);
  }

  /** Replaces the record at {@code index} of {@code chain} with what {@code edit} makes of it. */
  synchronized void edit(String chain, long index, UnaryOperator<AuditRecord> edit) {
    for (int i = 0; i < records.size(); i++) {
      AuditRecord r = records.get(i);
      if (r.chain().equals(chain) && r.index() == index) {
        records.set(i, edit.apply(r));
      }
    }
  }

  /** Removes the records of {@code chain} with an index in {@code [from, to)}. */
  synchronized void remove(String chain, long from, long to) {
    records.removeIf(r -> r.chain().equals(chain) && r.index() >= from && r.index() < to);
  }
}
