package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.ReceiptMark;
import dev.mailroom.core.receipt.ReceiptTimes;
import dev.mailroom.core.spi.ObligationStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reference obligations and receipt marks: obligations by message, marks by message and agent.
 * Part of {@link InMemoryStorage}: it holds that storage's lock for every operation.
 */
final class InMemoryObligations implements ObligationStore {
  private final InMemoryStorage storage;
  private final Map<MessageId, Obligation> byMessage = new TreeMap<>();
  private final Map<MessageId, Map<AgentId, Marks>> marks = new TreeMap<>();

  private record Marks(Optional<Instant> delivered, Optional<Instant> acked, Instant expiresAt) {}

  InMemoryObligations(InMemoryStorage storage) {
    this.storage = storage;
  }

  @Override
  public boolean open(Obligation obligation) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return byMessage.putIfAbsent(obligation.message(), obligation) == null;
    }
  }

  @Override
  public Optional<Obligation> find(MessageId message) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return Optional.ofNullable(byMessage.get(message));
    }
  }

  @Override
  public List<Obligation> findAll(List<MessageId> messages) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return messages.stream().distinct().map(byMessage::get).filter(Objects::nonNull).toList();
    }
  }

  @Override
  public List<Obligation> list(
      Party party,
      Set<Obligation.State> states,
      Instant now,
      Optional<MessageId> before,
      int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    synchronized (storage.lock) {
      storage.ensureOpen();
      return byMessage.values().stream()
          .sorted(Comparator.comparing(Obligation::message).reversed())
          .filter(o -> before.isEmpty() || o.message().compareTo(before.get()) < 0)
          .filter(
              o ->
                  switch (party) {
                    case Party.Sender s -> o.sender().equals(s.agent());
                    case Party.Target t -> o.target().equals(t.mailbox());
                  })
          .filter(o -> states.contains(o.state(now)))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public List<Obligation> unmet(ThreadId thread, int limit) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return byMessage.values().stream()
          .filter(o -> o.thread().equals(thread) && o.met().isEmpty())
          .limit(limit)
          .toList();
    }
  }

  @Override
  public Optional<Obligation> meet(MessageId message, Obligation.Fulfilment fulfilment) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Obligation o = byMessage.get(message);
      if (o != null && o.met().isEmpty()) {
        o = o.withMet(fulfilment);
        byMessage.put(message, o);
      }
      return Optional.ofNullable(o);
    }
  }

  @Override
  public List<Obligation> due(Instant now, int limit) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return byMessage.values().stream()
          .filter(o -> o.met().isEmpty() && o.noticedAt().isEmpty())
          .filter(o -> o.replyBy().isPresent() && !o.replyBy().get().isAfter(now))
          .sorted(
              Comparator.comparing((Obligation o) -> o.replyBy().orElseThrow())
                  .thenComparing(Obligation::message))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public boolean noticed(MessageId message, Instant at) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Obligation o = byMessage.get(message);
      if (o == null || o.noticedAt().isPresent()) {
        return false;
      }
      byMessage.put(message, o.withNoticedAt(at));
      return true;
    }
  }

  @Override
  public void record(List<ReceiptMark> newMarks) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      for (ReceiptMark m : newMarks) {
        Map<AgentId, Marks> agents = marks.computeIfAbsent(m.message(), k -> new TreeMap<>());
        Marks old =
            agents.getOrDefault(
                m.agent(), new Marks(Optional.empty(), Optional.empty(), m.expiresAt()));
        Optional<Instant> at = Optional.of(m.at());
        agents.put(
            m.agent(),
            switch (m.kind()) {
              case DELIVERED ->
                  new Marks(old.delivered().or(() -> at), old.acked(), old.expiresAt());
              case ACKNOWLEDGED ->
                  new Marks(old.delivered(), old.acked().or(() -> at), old.expiresAt());
            });
      }
    }
  }

  @Override
  public List<ReceiptTimes> marks(MessageId message, Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    synchronized (storage.lock) {
      storage.ensureOpen();
      return marks.getOrDefault(message, Map.of()).entrySet().stream()
          .filter(e -> after.isEmpty() || e.getKey().compareTo(after.get()) > 0)
          .limit(limit)
          .map(e -> new ReceiptTimes(e.getKey(), e.getValue().delivered(), e.getValue().acked()))
          .toList();
    }
  }

  @Override
  public int purgeExpired(Instant now, int maxRows) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      int removed = 0;
      for (Iterator<Obligation> it = byMessage.values().iterator(); it.hasNext(); ) {
        if (!it.next().expiresAt().isAfter(now)) {
          it.remove();
          removed++;
        }
      }
      for (Iterator<Map<AgentId, Marks>> it = marks.values().iterator(); it.hasNext(); ) {
        Map<AgentId, Marks> agents = it.next();
        int before = agents.size();
        agents.values().removeIf(m -> !m.expiresAt().isAfter(now));
        removed += before - agents.size();
        if (agents.isEmpty()) {
          it.remove();
        }
      }
      return removed;
    }
  }
}
