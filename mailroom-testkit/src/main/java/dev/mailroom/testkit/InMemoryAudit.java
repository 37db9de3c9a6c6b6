package dev.mailroom.testkit;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reference audit log: every record by position, and each chain's records by index. Part of
 * {@link InMemoryStorage}: it holds that storage's lock for every operation.
 *
 * <p>A record whose (chain, index) is already stored is refused with {@link
 * MailroomException.Conflict}, and then nothing of its batch is stored: the log never changes a
 * stored record.
 */
final class InMemoryAudit implements AuditStore {
  private final InMemoryStorage storage;
  private final NavigableMap<AuditPosition, AuditRecord> byPosition = new TreeMap<>();
  private final Map<String, NavigableMap<Long, AuditRecord>> byChain = new TreeMap<>();

  InMemoryAudit(InMemoryStorage storage) {
    this.storage = storage;
  }

  @Override
  public void append(List<AuditRecord> records) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Set<String> batch = new HashSet<>();
      for (AuditRecord r : records) {
        boolean stored = byChain.getOrDefault(r.chain(), new TreeMap<>()).containsKey(r.index());
        if (stored || !batch.add(r.chain() + "#" + r.index())) {
          throw new MailroomException.Conflict(
              "audit record " + r.chain() + "#" + r.index() + " is already stored");
        }
      }
      for (AuditRecord r : records) {
        byPosition.put(r.position(), r);
        byChain.computeIfAbsent(r.chain(), c -> new TreeMap<>()).put(r.index(), r);
      }
    }
  }

  @Override
  public AuditPage query(AuditQuery query) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      NavigableMap<AuditPosition, AuditRecord> after =
          query.order() == Order.ASC ? byPosition : byPosition.descendingMap();
      if (query.after().isPresent()) {
        after = after.tailMap(query.after().get(), false);
      }
      List<AuditRecord> matching =
          after.values().stream().filter(query::matches).limit(query.limit() + 1L).toList();
      if (matching.size() <= query.limit()) {
        return new AuditPage(matching, Optional.empty());
      }
      List<AuditRecord> page = matching.subList(0, query.limit());
      return new AuditPage(page, Optional.of(page.getLast().position()));
    }
  }

  @Override
  public List<AuditRecord> chain(String chain, long fromIndex, int limit) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return byChain.getOrDefault(chain, new TreeMap<>()).tailMap(fromIndex, true).values().stream()
          .limit(limit)
          .toList();
    }
  }

  @Override
  public List<String> chains() {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return List.copyOf(byChain.keySet());
    }
  }

  @Override
  public int purgeBefore(Instant cutoff, int max) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      int removed = 0;
      Iterator<AuditRecord> oldest = byPosition.values().iterator();
      while (removed < max && oldest.hasNext()) {
        AuditRecord r = oldest.next();
        if (!r.at().isBefore(cutoff)) {
          break;
        }
        oldest.remove();
        NavigableMap<Long, AuditRecord> chain = byChain.get(r.chain());
        chain.remove(r.index());
        if (chain.isEmpty()) {
          byChain.remove(r.chain());
        }
        removed++;
      }
      return removed;
    }
  }
}
