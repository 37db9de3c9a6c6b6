package dev.mailroom.core.reservation;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A live or expired hold on paths of a project.
 *
 * @param id the reservation's id, given by {@link ReservationService}
 * @param project the project the paths belong to
 * @param holder the agent that holds it
 * @param patterns what it holds: at least one, without duplicates, in the order given
 * @param mode exclusive or shared
 * @param reason why, as the holder said it (untrusted text; may be empty)
 * @param createdAt when it was taken
 * @param expiresAt when it ends, unless renewed; after {@code createdAt}
 */
public record Reservation(
    String id,
    ProjectName project,
    AgentId holder,
    List<PathPattern> patterns,
    Mode mode,
    String reason,
    Instant createdAt,
    Instant expiresAt) {

  /** Whether others may hold overlapping paths too. */
  public enum Mode {
    /** Nobody else may hold an overlapping path, shared or not. */
    EXCLUSIVE,
    /** Others may share overlapping paths, but none may hold them exclusively. */
    SHARED;

    public boolean exclusive() {
      return this == EXCLUSIVE;
    }
  }

  public Reservation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    patterns = List.copyOf(patterns);
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("a reservation holds at least one pattern");
    }
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("expiresAt " + expiresAt + " is not after " + createdAt);
    }
  }

  /** Whether it has ended at {@code now}. */
  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** The same reservation ending at another time. */
  public Reservation withExpiry(Instant newExpiry) {
    return new Reservation(id, project, holder, patterns, mode, reason, createdAt, newExpiry);
  }

  /**
   * Whether this and {@code other} may not both be held: different holders, the same project, at
   * least one exclusive, and some pattern of one overlapping some pattern of the other. An agent
   * never conflicts with itself.
   */
  public boolean conflictsWith(Reservation other) {
    if (holder.equals(other.holder)
        || !project.equals(other.project)
        || (!mode.exclusive() && !other.mode.exclusive())) {
      return false;
    }
    return overlapsAny(other.patterns);
  }

  /** Whether some of its patterns overlaps one of {@code others}. */
  public boolean overlapsAny(List<PathPattern> others) {
    for (PathPattern mine : patterns) {
      for (PathPattern theirs : others) {
        if (mine.overlaps(theirs)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether it covers the concrete path {@code path}. */
  public boolean covers(String path) {
    return patterns.stream().anyMatch(p -> p.matches(path));
  }

  /** The live reservations of {@code existing} that conflict with {@code wanted} at {@code now}. */
  public static List<Reservation> conflicts(
      Reservation wanted, List<Reservation> existing, Instant now) {
    return existing.stream().filter(r -> !r.expired(now) && r.conflictsWith(wanted)).toList();
  }
}
