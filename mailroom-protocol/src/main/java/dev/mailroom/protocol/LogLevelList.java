package dev.mailroom.protocol;

import java.util.List;

/**
 * The loggers that have a level of their own on the answering server process, the root first, then
 * by name ({@code GET /v1/admin/log-levels}).
 *
 * @param node the server process that answered, by the name of its audit chain: levels are that
 *     process's state, so each node of a system has its own
 */
public record LogLevelList(List<LogLevelView> loggers, String node) {
  public LogLevelList {
    loggers = List.copyOf(loggers);
  }
}
