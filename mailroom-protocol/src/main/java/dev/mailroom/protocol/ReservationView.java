package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A reservation as the API shows it.
 *
 * @param id its id, for renewing and releasing it
 * @param holder the agent that holds it
 * @param paths the globs and names it holds, normalised
 * @param exclusive whether it is exclusive; else shared
 * @param reason why, as its holder said it (untrusted text)
 * @param expiresAt when it ends unless renewed
 */
public record ReservationView(
    String id,
    String project,
    String holder,
    List<String> paths,
    boolean exclusive,
    String reason,
    Instant createdAt,
    Instant expiresAt) {
  public ReservationView {
    paths = List.copyOf(paths);
  }
}
