package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.ConsoleSession;
import dev.mailroom.core.spi.Enrollment;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Agents in Redis: {@code agents} (id to record, its token's expiry included), {@code tokens}
 * (token hash to id) and {@code tokenof} (id to its current token hash, so a rotation or a
 * revocation removes the old one; a revoked agent has none).
 *
 * <p>A change reads the agent's record, makes the new one and has a script store it only if the
 * stored record is still the one read (and change the token with it); if another change came in
 * between, it reads again. So concurrent changes of one agent (roles on one node, the token on
 * another) never undo each other.
 *
 * <p>An enrollment is the hash {@code enr:<id>} (its record as issued, its secret's hash, the uses
 * left and its expiry), with its id in the set {@code enrollments} and its secret's hash in {@code
 * enrollhash}, all among the system's own keys: the enrolling script uses it and records the agent
 * at once.
 *
 * <p>A console session is a key of its own ({@link KeySpace#session}, in a slot of its own), set
 * with the time left until it expires by the store's clock, so Redis deletes it then; every node
 * sharing the namespace reads the same keys, so a session opened on one is accepted, and one
 * deleted on one is refused, by all. {@code sessions} (a sorted set of the hashes by expiry, in
 * epoch milliseconds) lets {@link #deleteExpiredSessions} find the keys due; the key and its entry
 * there are written by two commands, since they live in different slots, so an entry may outlive
 * its key (the next sweep removes it) but a key never goes without Redis's own expiry.
 */
final class RedisAgentStore implements AgentStore {
  /** What {@code agent_update.lua} answers when the record changed since it was read. */
  private static final long CHANGED = -1;

  /** How many idempotency keys one {@code HSCAN} of a deletion reads. */
  private static final int KEY_PAGE = 1_000;

  /** How many expired sessions one round of {@link #deleteExpiredSessions} takes on. */
  private static final int SWEEP_BATCH = 256;

  private final RedisLink link;
  private final Scripts scripts;
  private final RedisEvents events;
  private final InstantSource clock;
  private final RedisDeliveryStore deliveries;
  private final RedisReservationStore reservations;

  RedisAgentStore(
      RedisLink link,
      Scripts scripts,
      RedisEvents events,
      InstantSource clock,
      RedisDeliveryStore deliveries,
      RedisReservationStore reservations) {
    this.link = link;
    this.scripts = scripts;
    this.events = events;
    this.clock = clock;
    this.deliveries = deliveries;
    this.reservations = reservations;
  }

  /**
   * Makes the agent's mailbox in its shard first, then records the agent: an agent is never listed
   * without its mailbox, and a mailbox left by a creation that failed half way is taken up by the
   * next one.
   */
  @Override
  public void create(AgentRecord agent, String tokenHash) {
    String id = agent.id().value();
    String made =
        Codec.text(
            link.<byte[]>runIn(
                link.keys().shard(id), scripts.agentMailbox(), ScriptOutputType.VALUE, id));
    if (!made.equals("ok")) {
      throw new MailroomException.Conflict(made);
    }
    events.runOrConflict(scripts.createAgent(), id, Codec.agent(agent), tokenHash);
  }

  @Override
  public boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt) {
    return update(id, a -> a.withTokenExpiresAt(expiresAt), "replace", tokenHash);
  }

  @Override
  public boolean revokeToken(AgentId id) {
    return update(id, UnaryOperator.identity(), "revoke", "");
  }

  @Override
  public boolean replaceRoles(AgentId id, Set<Role> roles) {
    return update(id, a -> a.withRoles(roles), "keep", "");
  }

  @Override
  public boolean updateProfile(AgentId id, AgentProfile profile) {
    Objects.requireNonNull(profile, "profile");
    return update(id, a -> a.withProfile(profile), "keep", "");
  }

  @Override
  public boolean retire(AgentId id, Instant at) {
    Objects.requireNonNull(at, "at");
    return update(id, a -> a.retiredAt(at), "revoke", "");
  }

  /**
   * Steps that are each safe to repeat: {@code agent_delete.lua} removes the record and the token
   * and marks the id as being deleted (publishing the event every node forgets the agent on); its
   * subscriptions are deleted as {@link RedisDeliveryStore#deleteSubscription} deletes one; {@code
   * agent_purge.lua} empties what the agent had in its shard; its live reservations are released
   * and its idempotency keys removed; {@code agent_forget.lua} removes the rest of its system keys
   * and lets the id be registered again. A failure in between leaves the id in {@code deleting}, so
   * the next call resumes. Console sessions stay until they expire: they name an agent that no
   * longer exists (or, once the id is reused, a token it never had), so none is accepted.
   */
  @Override
  public boolean delete(AgentId id) {
    String agent = id.value();
    List<String> begun =
        events.tracked(
            t ->
                link
                    .<List<Object>>run(t, scripts.deleteAgent(), ScriptOutputType.MULTI, agent)
                    .stream()
                    .map(o -> Codec.text((byte[]) o))
                    .toList(),
            answer -> answer.getFirst().equals("begun"));
    if (begun.getFirst().equals("none")) {
      return false;
    }
    for (String sub : begun.subList(1, begun.size())) {
      deliveries.deleteSubscription(SubscriptionId.of(sub));
    }
    int shard = link.keys().shard(agent);
    link.<Long>runIn(
        shard,
        scripts.purgeAgent(),
        ScriptOutputType.INTEGER,
        agent,
        Integer.toString(shard),
        Integer.toString(link.keys().shards()));
    Instant now = clock.instant();
    List<Reservation> held;
    do {
      held = reservations.list(Optional.empty(), Optional.of(id), Optional.empty(), 100, now);
      held.forEach(r -> reservations.release(r.id(), now));
    } while (!held.isEmpty());
    forgetKeys(agent);
    link.<Long>run(scripts.forgetAgent(), ScriptOutputType.INTEGER, agent);
    return true;
  }

  /**
   * Removes the idempotency keys the agent used ({@code sender\nkey} fields of each shard's {@code
   * idem}, and their entries in {@code idemx}), so that an agent registered later under its id is
   * not answered with the old one's sends. Each shard's hash is read with {@code HSCAN}, a page at
   * a time: the keys of the dedupe window, which an admin's deletion may take the time to read.
   */
  private void forgetKeys(String agent) {
    ScanArgs page = ScanArgs.Builder.matches(agent + "\n*").limit(KEY_PAGE);
    for (int k = 0; k < link.keys().shards(); k++) {
      byte[] idem = link.key(k, "idem");
      byte[] idemx = link.key(k, "idemx");
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        ScanCursor from = cursor;
        MapScanCursor<byte[], byte[]> scanned =
            link.call(() -> link.sync().hscan(idem, from, page));
        byte[][] fields = scanned.getMap().keySet().toArray(byte[][]::new);
        if (fields.length > 0) {
          link.write(idem, c -> c.hdel(idem, fields));
          link.write(idemx, c -> c.zrem(idemx, fields));
        }
        cursor = scanned;
      } while (!cursor.isFinished());
    }
  }

  @Override
  public void createEnrollment(Enrollment enrollment, String hash) {
    Objects.requireNonNull(hash, "hash");
    String outcome =
        Codec.text(
            link.<byte[]>run(
                scripts.createEnrollment(),
                ScriptOutputType.VALUE,
                enrollment.id(),
                Codec.enrollment(enrollment),
                hash,
                Integer.toString(enrollment.remaining()),
                Long.toString(enrollment.expiresAt().toEpochMilli())));
    if (!outcome.equals("ok")) {
      throw new MailroomException.Conflict(outcome);
    }
  }

  @Override
  public Optional<Enrollment> findEnrollment(String hash) {
    byte[] id = link.call(() -> link.sync().hget(link.key("enrollhash"), Codec.utf8(hash)));
    return id == null ? Optional.empty() : enrollment(Codec.text(id));
  }

  private Optional<Enrollment> enrollment(String id) {
    byte[] key = link.key("enr:" + id);
    List<KeyValue<byte[], byte[]>> fields =
        link.call(() -> link.sync().hmget(key, Codec.utf8("record"), Codec.utf8("left")));
    if (fields.size() < 2 || !fields.get(0).hasValue() || !fields.get(1).hasValue()) {
      return Optional.empty();
    }
    Enrollment issued = Codec.enrollment(fields.get(0).getValue());
    int left = Integer.parseInt(Codec.text(fields.get(1).getValue()));
    return Optional.of(issued.withRemaining(Math.max(0, left)));
  }

  /** The enrollments by id; an admin's listing, so one read per enrollment is fine. */
  @Override
  public List<Enrollment> enrollments() {
    List<String> ids =
        link.call(() -> link.sync().smembers(link.key("enrollments"))).stream()
            .map(Codec::text)
            .sorted()
            .toList();
    List<Enrollment> all = new ArrayList<>(ids.size());
    for (String id : ids) {
      enrollment(id).ifPresent(all::add);
    }
    return all;
  }

  @Override
  public boolean deleteEnrollment(String id) {
    Long deleted = link.run(scripts.deleteEnrollment(), ScriptOutputType.INTEGER, id);
    return deleted != null && deleted == 1;
  }

  /**
   * Makes the agent's mailbox in its shard first, as {@link #create} does, but only once the
   * enrollment, as read, would allow the registration; the script then checks it again and uses it
   * atomically with recording the agent. A registration that loses a race leaves the mailbox, which
   * the next creation of that id takes up.
   */
  @Override
  public Enrollment.Outcome enroll(
      String enrollmentHash, AgentRecord agent, String tokenHash, Instant now) {
    Optional<Enrollment> read = findEnrollment(enrollmentHash);
    if (read.isEmpty()) {
      return new Enrollment.Outcome.Refused(Enrollment.Reason.UNKNOWN);
    }
    if (read.get().expired(now)) {
      return new Enrollment.Outcome.Refused(Enrollment.Reason.EXPIRED);
    }
    if (read.get().remaining() == 0) {
      return new Enrollment.Outcome.Refused(Enrollment.Reason.USED_UP);
    }
    String id = agent.id().value();
    String made =
        Codec.text(
            link.<byte[]>runIn(
                link.keys().shard(id), scripts.agentMailbox(), ScriptOutputType.VALUE, id));
    if (!made.equals("ok")) {
      throw new MailroomException.Conflict(made);
    }
    String outcome =
        events.tracked(
            t ->
                Codec.text(
                    link.<byte[]>run(
                        t,
                        scripts.enroll(),
                        ScriptOutputType.VALUE,
                        enrollmentHash,
                        Long.toString(now.toEpochMilli()),
                        id,
                        Codec.agent(agent),
                        tokenHash)),
            "ok"::equals);
    return switch (outcome) {
      case "ok" -> new Enrollment.Outcome.Enrolled();
      case "unknown" -> new Enrollment.Outcome.Refused(Enrollment.Reason.UNKNOWN);
      case "expired" -> new Enrollment.Outcome.Refused(Enrollment.Reason.EXPIRED);
      case "used_up" -> new Enrollment.Outcome.Refused(Enrollment.Reason.USED_UP);
      default -> throw new MailroomException.Conflict(outcome);
    };
  }

  /**
   * Stores {@code change} of the agent's record and does {@code token} ({@code keep}, {@code
   * revoke} or {@code replace} with {@code tokenHash}) to its token, in one script.
   *
   * @return false if there is no such agent
   */
  private boolean update(
      AgentId id, UnaryOperator<AgentRecord> change, String token, String tokenHash) {
    while (true) {
      byte[] read = stored(id);
      if (read == null) {
        return false;
      }
      byte[] changed = Codec.agent(change.apply(Codec.agent(read)));
      Long done =
          events.tracked(
              t ->
                  link.run(
                      t,
                      scripts.updateAgent(),
                      ScriptOutputType.INTEGER,
                      id.value(),
                      read,
                      changed,
                      token,
                      tokenHash),
              updated -> updated == 1);
      if (done != CHANGED) {
        return done == 1;
      }
    }
  }

  private byte @Nullable [] stored(AgentId id) {
    return link.call(() -> link.sync().hget(link.key("agents"), Codec.utf8(id.value())));
  }

  @Override
  public Optional<AgentRecord> find(AgentId id) {
    return Optional.ofNullable(stored(id)).map(Codec::agent);
  }

  @Override
  public Optional<AgentRecord> findByTokenHash(String tokenHash) {
    byte[] id = link.call(() -> link.sync().hget(link.key("tokens"), Codec.utf8(tokenHash)));
    return id == null ? Optional.empty() : find(AgentId.of(Codec.text(id)));
  }

  /**
   * Sorts the ids (the hash keeps no order) and reads the records of this page only: the ids are
   * short, the records are what would make a page as costly as the whole list.
   */
  @Override
  public List<AgentRecord> list(Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    List<String> page =
        link.call(() -> link.sync().hkeys(link.key("agents"))).stream()
            .map(Codec::text)
            .filter(id -> after.isEmpty() || id.compareTo(after.get().value()) > 0)
            .sorted()
            .limit(limit)
            .toList();
    if (page.isEmpty()) {
      return List.of();
    }
    List<KeyValue<byte[], byte[]>> records =
        link.call(() -> link.sync().hmget(link.key("agents"), RedisMessageStore.utf8(page)));
    List<AgentRecord> agents = new ArrayList<>(page.size());
    for (KeyValue<byte[], byte[]> r : records) {
      if (r.hasValue()) {
        agents.add(Codec.agent(r.getValue()));
      }
    }
    return agents;
  }

  /**
   * Notes the session in {@code sessions} first, then sets its key to expire when it does by the
   * store's clock: a failure in between leaves only an entry the next sweep removes. A session
   * already expired by that clock is not stored, and the one stored with its hash, if any, is
   * deleted.
   */
  @Override
  public void createSession(ConsoleSession session) {
    Objects.requireNonNull(session, "session");
    long left = session.expiresAt().toEpochMilli() - clock.millis();
    if (left <= 0) {
      deleteSession(session.hash());
      return;
    }
    byte[] index = link.key("sessions");
    byte[] member = Codec.utf8(session.hash());
    double expiresAt = session.expiresAt().toEpochMilli();
    link.write(index, c -> c.zadd(index, expiresAt, member));
    byte[] key = sessionKey(session.hash());
    byte[] value = Codec.session(session);
    link.write(key, c -> c.set(key, value, SetArgs.Builder.px(left)));
  }

  @Override
  public Optional<ConsoleSession> findSession(String hash, Instant now) {
    Objects.requireNonNull(now, "now");
    byte[] key = sessionKey(hash);
    byte[] stored = link.call(() -> link.sync().get(key));
    return Optional.ofNullable(stored).map(Codec::session).filter(s -> !s.expired(now));
  }

  /**
   * Deletes the session's key, then its entry in {@code sessions}. A session whose key Redis has
   * already expired (by Redis's clock) is no longer there: false.
   */
  @Override
  public boolean deleteSession(String hash) {
    byte[] key = sessionKey(hash);
    Long deleted = link.write(key, c -> c.del(key));
    byte[] index = link.key("sessions");
    byte[] member = Codec.utf8(hash);
    link.write(index, c -> c.zrem(index, member));
    return deleted != null && deleted > 0;
  }

  /**
   * Deletes the keys of the sessions {@code sessions} lists as expired at {@code now}, and their
   * entries there, a batch at a time. Counts only the keys still there: Redis deletes a session's
   * key by itself when it expires, so once that has happened this returns 0 for it.
   */
  @Override
  public int deleteExpiredSessions(Instant now) {
    Objects.requireNonNull(now, "now");
    byte[] index = link.key("sessions");
    Range<Long> due =
        Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now.toEpochMilli()));
    int deleted = 0;
    while (true) {
      List<byte[]> batch =
          link.call(() -> link.sync().zrangebyscore(index, due, Limit.create(0, SWEEP_BATCH)));
      if (batch.isEmpty()) {
        return deleted;
      }
      for (byte[] member : batch) {
        byte[] key = sessionKey(Codec.text(member));
        Long gone = link.write(key, c -> c.del(key));
        if (gone != null && gone > 0) {
          deleted++;
        }
      }
      byte[][] members = batch.toArray(byte[][]::new);
      link.write(index, c -> c.zrem(index, members));
      if (batch.size() < SWEEP_BATCH) {
        return deleted;
      }
    }
  }

  private byte[] sessionKey(String hash) {
    return Codec.utf8(link.keys().session(Objects.requireNonNull(hash, "hash")));
  }
}
