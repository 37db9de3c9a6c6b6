package dev.mailroom.client;

import dev.mailroom.protocol.LogLevelList;
import dev.mailroom.protocol.LogLevelRequest;
import dev.mailroom.protocol.LogLevelView;

/**
 * The log levels of the server process this client talks to ({@code /v1/admin/log-levels}, admins
 * only). A change applies at once, without a restart, and to that process alone: on several nodes,
 * call each node's URL. The answers name the node that answered ({@link LogLevelView#node()}).
 * Changes are audited. Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class LogLevels {
  private final Rest rest;

  LogLevels(Rest rest) {
    this.rest = rest;
  }

  /** The root logger, then every logger that has a level of its own, by name. */
  public LogLevelList list() {
    return rest.get("v1", "admin", "log-levels").fetch(LogLevelList.class);
  }

  /**
   * One logger's own level (if set) and the level in force; the logger need not exist yet.
   *
   * @param logger a dotted logger name such as {@code dev.mailroom.server}, or {@code ROOT}
   */
  public LogLevelView get(String logger) {
    return rest.get("v1", "admin", "log-levels", logger).fetch(LogLevelView.class);
  }

  /**
   * Sets a logger's level at once.
   *
   * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR} or {@code
   *     OFF}, in any case
   * @return the logger's levels after the change
   */
  public LogLevelView set(String logger, String level) {
    return rest.put("v1", "admin", "log-levels", logger)
        .body(new LogLevelRequest(level))
        .fetch(LogLevelView.class);
  }

  /**
   * Clears a logger's own level, so that it inherits its nearest ancestor's again (the root must
   * keep one).
   *
   * @return the logger's levels after the change
   */
  public LogLevelView reset(String logger) {
    return rest.delete("v1", "admin", "log-levels", logger).fetch(LogLevelView.class);
  }
}
