package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.spi.ReservationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference reservations: every reservation by id. Part of {@link InMemoryStorage}: it holds
 * that storage's lock for every operation, which makes reserving atomic.
 */
final class InMemoryReservations implements ReservationStore {
  private final InMemoryStorage storage;
  private final Map<String, Reservation> byId = new TreeMap<>();

  InMemoryReservations(InMemoryStorage storage) {
    this.storage = storage;
  }

  /** Called under the storage's lock: the holder was deleted, and its reservations go. */
  void holderDeleted(AgentId holder) {
    byId.values().removeIf(r -> r.holder().equals(holder));
  }

  @Override
  public Outcome reserve(Reservation wanted, Instant now) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      List<Reservation> conflicts = Reservation.conflicts(wanted, List.copyOf(byId.values()), now);
      if (!conflicts.isEmpty()) {
        return new Outcome.Refused(conflicts);
      }
      byId.put(wanted.id(), wanted);
      return new Outcome.Granted(wanted);
    }
  }

  @Override
  public Optional<Reservation> find(String id, Instant now) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return Optional.ofNullable(byId.get(id)).filter(r -> !r.expired(now));
    }
  }

  @Override
  public Optional<Reservation> renew(String id, Instant newExpiry, Instant now) {
    synchronized (storage.lock) {
      Optional<Reservation> live = find(id, now);
      live.ifPresent(r -> byId.put(id, r.withExpiry(newExpiry)));
      return live.map(r -> r.withExpiry(newExpiry));
    }
  }

  @Override
  public boolean release(String id, Instant now) {
    synchronized (storage.lock) {
      boolean live = find(id, now).isPresent();
      byId.remove(id);
      return live;
    }
  }

  @Override
  public List<Reservation> list(
      Optional<ProjectName> project,
      Optional<AgentId> holder,
      Optional<String> after,
      int limit,
      Instant now) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return byId.values().stream()
          .filter(r -> !r.expired(now))
          .filter(r -> after.isEmpty() || r.id().compareTo(after.get()) > 0)
          .filter(r -> project.isEmpty() || r.project().equals(project.get()))
          .filter(r -> holder.isEmpty() || r.holder().equals(holder.get()))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public List<Reservation> live(ProjectName project, Instant now) {
    return list(Optional.of(project), Optional.empty(), Optional.empty(), Integer.MAX_VALUE, now);
  }

  @Override
  public int purgeExpired(Instant now) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      int before = byId.size();
      byId.values().removeIf(r -> r.expired(now));
      return before - byId.size();
    }
  }
}
