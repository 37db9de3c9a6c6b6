package dev.mailroom.client;

import dev.mailroom.protocol.RenewRequest;
import dev.mailroom.protocol.ReservationCheck;
import dev.mailroom.protocol.ReservationCheckRequest;
import dev.mailroom.protocol.ReservationConflict;
import dev.mailroom.protocol.ReservationList;
import dev.mailroom.protocol.ReservationRequest;
import dev.mailroom.protocol.ReservationView;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reservations ({@code /v1/reservations}): hold paths of a project, exclusively or shared, for a
 * while, so that other agents learn of it before they touch them. A conflict is an expected
 * outcome, not a failure: {@link #reserve} answers it as {@link Outcome.Refused}, naming who holds
 * what until when. Immutable and thread-safe. Every method throws {@link MailroomClientException}
 * on failure.
 */
public final class Reservations {
  private final Rest rest;

  Reservations(Rest rest) {
    this.rest = rest;
  }

  /** What {@link #reserve} did. */
  public sealed interface Outcome {
    /** The caller holds the paths now. */
    record Granted(ReservationView reservation) implements Outcome {}

    /** Nothing was reserved: other agents hold conflicting reservations. */
    record Refused(ReservationConflict problem) implements Outcome {
      /** The conflicting reservations: their holders, paths, modes and expiries. */
      public List<ReservationView> conflicts() {
        return problem.conflicts();
      }
    }
  }

  /**
   * Reserves {@code paths} (globs or names) of {@code project}.
   *
   * @param exclusive whether nobody else may hold an overlapping path; else shared
   * @param ttl how long, at least 1 s and at most 24 h; the server's default (1 h) when empty
   * @param reason why, shown to the agents it blocks
   */
  public Outcome reserve(
      String project,
      List<String> paths,
      boolean exclusive,
      Optional<Duration> ttl,
      Optional<String> reason) {
    HttpResponse<byte[]> answer =
        rest.post("v1", "reservations")
            .body(
                new ReservationRequest(
                    project, paths, Optional.of(exclusive), ttl.map(Duration::toSeconds), reason))
            .accepting(409)
            .response();
    JsonNode tree;
    try {
      tree = rest.mapper().readTree(answer.body());
    } catch (JacksonException e) {
      throw MailroomClientException.unreadable(
          answer.statusCode(), "the answer to a reservation could not be read", e);
    }
    if (answer.statusCode() != 409) {
      return new Outcome.Granted(decode(tree, ReservationView.class, answer));
    }
    if (!tree.has("conflicts")) {
      // A 409 of another kind (the project's reservations kept changing): an ordinary failure.
      throw ErrorAnswers.of(answer.statusCode(), answer.headers(), answer.body(), rest.mapper());
    }
    return new Outcome.Refused(decode(tree, ReservationConflict.class, answer));
  }

  private <T> T decode(JsonNode tree, Class<T> type, HttpResponse<byte[]> answer) {
    try {
      return rest.mapper().treeToValue(tree, type);
    } catch (JacksonException e) {
      throw MailroomClientException.unreadable(
          answer.statusCode(), "the answer to a reservation could not be read", e);
    }
  }

  /** One live reservation. */
  public ReservationView get(String id) {
    return rest.get("v1", "reservations", id).fetch(ReservationView.class);
  }

  /** Makes one of the caller's live reservations end {@code ttl} from now. */
  public ReservationView renew(String id, Duration ttl) {
    return rest.post("v1", "reservations", id, "renew")
        .body(new RenewRequest(Optional.of(ttl.toSeconds())))
        .fetch(ReservationView.class);
  }

  /** Releases a reservation of the caller's (anyone's, for an admin). */
  public void release(String id) {
    rest.delete("v1", "reservations", id).send();
  }

  /** One page of the live reservations, by id, of one project and holder when given. */
  public ReservationList list(Optional<String> project, Optional<String> agent, PageRequest page) {
    return rest.get("v1", "reservations")
        .query("project", project)
        .query("agent", agent)
        .query(page.parameters())
        .fetch(ReservationList.class);
  }

  /** Every page from {@code first} of one project's and holder's when given, as iterated. */
  public Iterator<ReservationList> pages(
      Optional<String> project, Optional<String> agent, PageRequest first) {
    return new Pager<>(
        cursor -> list(project, agent, cursor.map(first::withCursor).orElse(first)),
        ReservationList::nextCursor);
  }

  /** Every live reservation of one project and holder when given, fetched page by page. */
  public Stream<ReservationView> all(Optional<String> project, Optional<String> agent) {
    return Pager.items(pages(project, agent, PageRequest.first()), ReservationList::reservations);
  }

  /**
   * Which of these concrete file paths of {@code project} other agents hold exclusively: empty
   * {@link ReservationCheck#blocked()} means the caller may go ahead.
   */
  public ReservationCheck check(String project, List<String> paths) {
    return rest.post("v1", "reservations", "check")
        .body(new ReservationCheckRequest(project, paths))
        .fetch(ReservationCheck.class);
  }
}
