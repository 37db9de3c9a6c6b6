package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.spi.ReservationStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reservations in Redis, among the system's own keys (one hash tag, so one Cluster slot): the hash
 * {@code r:<project>} (id to encoded reservation), {@code rv} (each project's version), {@code rp}
 * (each reservation's project) and the sorted set {@code rexp} (ids by expiry).
 *
 * <p>Reserving is an optimistic compare-and-set, so that what conflicts is decided by the same Java
 * code on every backend rather than by a second glob matcher in Lua: the node reads the project's
 * version, then its reservations, decides, and a script stores the new one only if the version is
 * unchanged (nothing reserved or renewed in the project since); otherwise the node reads again. Of
 * racing requests one always wins a round, so the loop ends; several nodes sharing the Redis stay
 * exact. Reads filter on expiry, so an expired reservation is invisible before the purge removes
 * it. Thread-safe.
 */
final class RedisReservationStore implements ReservationStore {
  /** Rounds of read-decide-store before giving up on a project that keeps changing. */
  private static final int MAX_ROUNDS = 64;

  private static final int PURGE_BATCH = 1_000;

  private final RedisLink link;
  private final Scripts scripts;

  RedisReservationStore(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  @Override
  public Outcome reserve(Reservation wanted, Instant now) {
    Objects.requireNonNull(wanted, "wanted");
    String project = wanted.project().value();
    byte[] encoded = Codec.reservation(wanted);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      byte[] v = link.call(() -> link.sync().hget(link.key("rv"), Codec.utf8(project)));
      long version = v == null ? 0 : Long.parseLong(Codec.text(v));
      List<Reservation> conflicts = Reservation.conflicts(wanted, all(wanted.project()), now);
      if (!conflicts.isEmpty()) {
        return new Outcome.Refused(conflicts);
      }
      Long stored =
          link.run(
              scripts.reserve(),
              ScriptOutputType.INTEGER,
              project,
              version,
              wanted.id(),
              encoded,
              wanted.expiresAt().toEpochMilli());
      if (stored == 1) {
        return new Outcome.Granted(wanted);
      }
    }
    throw new MailroomException.Conflict(
        "the reservations of project " + project + " kept changing; try again");
  }

  @Override
  public Optional<Reservation> find(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    byte[] project = link.call(() -> link.sync().hget(link.key("rp"), Codec.utf8(id)));
    if (project == null) {
      return Optional.empty();
    }
    byte[] stored =
        link.call(() -> link.sync().hget(link.key("r:" + Codec.text(project)), Codec.utf8(id)));
    return Optional.ofNullable(stored).map(Codec::reservation).filter(r -> !r.expired(now));
  }

  @Override
  public Optional<Reservation> renew(String id, Instant newExpiry, Instant now) {
    Optional<Reservation> live = find(id, now);
    if (live.isEmpty()) {
      return Optional.empty();
    }
    Reservation renewed = live.get().withExpiry(newExpiry);
    Long done =
        link.run(
            scripts.renewReservation(),
            ScriptOutputType.INTEGER,
            id,
            Codec.reservation(renewed),
            newExpiry.toEpochMilli(),
            now.toEpochMilli());
    return done == 1 ? Optional.of(renewed) : Optional.empty();
  }

  @Override
  public boolean release(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    Long live =
        link.run(scripts.releaseReservation(), ScriptOutputType.INTEGER, id, now.toEpochMilli());
    return live == 1;
  }

  @Override
  public List<Reservation> list(
      Optional<ProjectName> project,
      Optional<AgentId> holder,
      Optional<String> after,
      int limit,
      Instant now) {
    List<Reservation> candidates;
    if (project.isPresent()) {
      candidates = live(project.get(), now);
    } else {
      List<byte[]> ids =
          link.call(
              () ->
                  link.sync()
                      .zrangebyscore(
                          link.key("rexp"),
                          Range.create((double) now.toEpochMilli() + 1, Double.POSITIVE_INFINITY),
                          Limit.unlimited()));
      candidates = new ArrayList<>(ids.size());
      for (byte[] id : ids) {
        find(Codec.text(id), now).ifPresent(candidates::add);
      }
    }
    return candidates.stream()
        .filter(r -> after.isEmpty() || r.id().compareTo(after.get()) > 0)
        .filter(r -> holder.isEmpty() || r.holder().equals(holder.get()))
        .sorted(Comparator.comparing(Reservation::id))
        .limit(limit)
        .toList();
  }

  @Override
  public List<Reservation> live(ProjectName project, Instant now) {
    return all(project).stream().filter(r -> !r.expired(now)).toList();
  }

  @Override
  public int purgeExpired(Instant now) {
    int removed = 0;
    while (true) {
      Long n =
          link.run(
              scripts.purgeReservations(),
              ScriptOutputType.INTEGER,
              now.toEpochMilli(),
              PURGE_BATCH);
      removed += n.intValue();
      if (n < PURGE_BATCH) {
        return removed;
      }
    }
  }

  /** Every reservation of a project, expired or not. */
  private List<Reservation> all(ProjectName project) {
    Map<byte[], byte[]> stored =
        link.call(() -> link.sync().hgetall(link.key("r:" + project.value())));
    List<Reservation> out = new ArrayList<>(stored.size());
    for (byte[] b : stored.values()) {
      out.add(Codec.reservation(b));
    }
    return out;
  }
}
