package dev.mailroom.server;

/**
 * How many sessions an endpoint that keeps them (the MCP server at {@code /mcp}) may hold on one
 * node: per agent (opening one more ends the agent's least recently used session, as a client whose
 * session is gone opens a new one) and in all (beyond, new sessions are refused with 503 until some
 * end).
 *
 * @param perAgent the most sessions one agent holds, at least 1
 * @param total the most sessions one node holds, at least {@code perAgent}
 */
public record SessionLimits(int perAgent, int total) {
  public static final int DEFAULT_PER_AGENT = 16;
  public static final int DEFAULT_TOTAL = 10_000;

  public static final SessionLimits DEFAULTS = new SessionLimits(DEFAULT_PER_AGENT, DEFAULT_TOTAL);

  public SessionLimits {
    if (perAgent < 1 || total < perAgent) {
      throw new IllegalArgumentException(
          "session limits must be at least 1 per agent, and no fewer in all than per agent");
    }
  }
}
