package dev.mailroom.core.reservation;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.ReservationStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reservations as agents see them: who may take, renew and release one, their bounds, and the
 * pre-commit question (which of these paths does another agent hold exclusively?). Agents and
 * admins may reserve, an observer may not; any caller may look; the holder, or an admin, renews and
 * releases. Thread-safe.
 */
public final class ReservationService {
  public static final Duration MIN_TTL = Duration.ofSeconds(1);
  public static final Duration MAX_TTL = Duration.ofHours(24);
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  public static final int MAX_PATTERNS = 64;
  public static final int MAX_REASON = 500;

  /** The most paths one check asks about: a large commit's worth. */
  public static final int MAX_CHECKED_PATHS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ReservationStore store;
  private final InstantSource clock;

  public ReservationService(ReservationStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A concrete path held exclusively by another agent, and the reservations that hold it. */
  public record Blocked(String path, List<Reservation> heldBy) {
    public Blocked {
      heldBy = List.copyOf(heldBy);
    }
  }

  /**
   * Takes a reservation for the caller, unless it conflicts with another agent's live one.
   *
   * @param patterns what to hold; duplicates are dropped
   * @throws MailroomException.Forbidden if the caller holds neither the agent nor the admin role
   * @throws MailroomException.InvalidRequest naming the field that breaks its bounds
   */
  public ReservationStore.Outcome reserve(
      Principal caller,
      ProjectName project,
      List<PathPattern> patterns,
      Reservation.Mode mode,
      Duration ttl,
      String reason) {
    if (!caller.isAdmin() && !caller.roles().contains(Role.AGENT)) {
      throw new MailroomException.Forbidden("only agents and admins may reserve");
    }
    if (patterns.isEmpty() || patterns.size() > MAX_PATTERNS) {
      throw MailroomException.InvalidRequest.field(
          "paths", "must hold 1-" + MAX_PATTERNS + " paths or globs");
    }
    requireTtl(ttl);
    requireReason(reason);
    Instant now = now();
    Reservation wanted =
        new Reservation(
            newId(),
            project,
            caller.id(),
            List.copyOf(new LinkedHashSet<>(patterns)),
            mode,
            reason,
            now,
            now.plus(ttl));
    return store.reserve(wanted, now);
  }

  /**
   * A live reservation.
   *
   * @throws MailroomException.NotFound if there is none, or it has expired or been released
   */
  public Reservation get(String id) {
    return store.find(id, clock.instant()).orElseThrow(() -> notFound(id));
  }

  /**
   * Makes one of the caller's live reservations (anyone's, for an admin) end {@code ttl} from now.
   *
   * @throws MailroomException.NotFound if there is none live
   * @throws MailroomException.Forbidden if another agent holds it and the caller is no admin
   */
  public Reservation renew(Principal caller, String id, Duration ttl) {
    requireTtl(ttl);
    Reservation r = get(id);
    if (!r.holder().equals(caller.id()) && !caller.isAdmin()) {
      throw new MailroomException.Forbidden(
          "only its holder or an admin may renew reservation "
              + id
              + " (held by "
              + r.holder()
              + ")");
    }
    Instant now = now();
    return store.renew(id, now.plus(ttl), now).orElseThrow(() -> notFound(id));
  }

  /**
   * Releases a live reservation of the caller's, or anyone's for an admin.
   *
   * @throws MailroomException.NotFound if there is none live
   * @throws MailroomException.Forbidden if another agent holds it and the caller is no admin
   */
  public Reservation release(Principal caller, String id) {
    Reservation r = get(id);
    if (!r.holder().equals(caller.id()) && !caller.isAdmin()) {
      throw new MailroomException.Forbidden(
          "only its holder or an admin may release reservation " + id);
    }
    if (!store.release(id, clock.instant())) {
      throw notFound(id);
    }
    return r;
  }

  /** A page of the live reservations, by id (see {@link ReservationStore#list}). */
  public List<Reservation> list(
      Optional<ProjectName> project, Optional<AgentId> holder, Optional<String> after, int limit) {
    return store.list(project, holder, after, limit, clock.instant());
  }

  /**
   * Which of the concrete {@code paths} of a project agents other than the caller hold exclusively:
   * what a pre-commit hook asks. Paths are normalised as patterns are.
   *
   * @throws MailroomException.InvalidRequest naming {@code paths[i]} if one is not a valid path
   */
  public List<Blocked> check(Principal caller, ProjectName project, List<String> paths) {
    if (paths.size() > MAX_CHECKED_PATHS) {
      throw MailroomException.InvalidRequest.field(
          "paths", "must hold at most " + MAX_CHECKED_PATHS + " paths");
    }
    List<PathPattern> normalised = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      normalised.add(PathPattern.of("paths[" + i + "]", paths.get(i)));
    }
    List<Reservation> others =
        store.live(project, clock.instant()).stream()
            .filter(r -> r.mode().exclusive() && !r.holder().equals(caller.id()))
            .toList();
    List<Blocked> blocked = new ArrayList<>();
    for (PathPattern path : normalised) {
      List<Reservation> holders = others.stream().filter(r -> r.covers(path.value())).toList();
      if (!holders.isEmpty()) {
        blocked.add(new Blocked(path.value(), holders));
      }
    }
    return blocked;
  }

  /** Removes the expired reservations; see {@link ReservationStore#purgeExpired}. */
  public int purgeExpired() {
    return store.purgeExpired(clock.instant());
  }

  /** Milliseconds: what every backend stores, so an answer shows the times a later read will. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void requireTtl(Duration ttl) {
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw MailroomException.InvalidRequest.field(
          "ttl_seconds", "must be " + MIN_TTL.toSeconds() + "-" + MAX_TTL.toSeconds() + " seconds");
    }
  }

  private static void requireReason(String reason) {
    if (reason.length() > MAX_REASON) {
      throw MailroomException.InvalidRequest.field(
          "reason", "must be at most " + MAX_REASON + " characters");
    }
  }

  private static MailroomException.NotFound notFound(String id) {
    return new MailroomException.NotFound("no live reservation " + abbreviate(id));
  }

  private static String abbreviate(String id) {
    return id.length() <= 80 ? id : id.substring(0, 77) + "...";
  }

  /** 96 random bits: an id nobody guesses, in the alphabet every backend's keys accept. */
  private static String newId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "res_" + HexFormat.of().formatHex(bytes);
  }
}
