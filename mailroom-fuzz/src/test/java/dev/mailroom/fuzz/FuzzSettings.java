package dev.mailroom.fuzz;

import java.time.Duration;

/**
 * How long and from where the fuzzers run, from system properties (Maven passes {@code -D} options
 * to the test JVM):
 *
 * <ul>
 *   <li>{@code fuzz.seed}: the seed of every random choice (default {@value #DEFAULT_SEED})
 *   <li>{@code fuzz.requests}: HTTP requests of {@link HttpFuzzIT} (default {@value
 *       #DEFAULT_REQUESTS})
 *   <li>{@code fuzz.mcp.requests}: MCP requests of {@link McpFuzzIT} (default a tenth of {@code
 *       fuzz.requests})
 *   <li>{@code fuzz.ws.frames}: WebSocket frames and upgrades of {@link WebSocketFuzzIT} (default a
 *       fifth of {@code fuzz.requests})
 *   <li>{@code fuzz.timeout.seconds}: how long one answer may take (default 40: a request whose
 *       declared body never comes is answered 408 once the connection has been idle for 30 s)
 *   <li>{@code fuzz.mcp.timeout.seconds}: how long one MCP answer may take (default 4: every wait a
 *       valid MCP request asks for is one second)
 * </ul>
 */
record FuzzSettings(
    long seed, int requests, int mcpRequests, int wsFrames, Duration timeout, Duration mcpTimeout) {
  static final long DEFAULT_SEED = 13;
  static final int DEFAULT_REQUESTS = 4000;

  static FuzzSettings current() {
    int requests = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
    return new FuzzSettings(
        Long.getLong("fuzz.seed", DEFAULT_SEED),
        requests,
        Integer.getInteger("fuzz.mcp.requests", Math.max(1, requests / 10)),
        Integer.getInteger("fuzz.ws.frames", Math.max(1, requests / 5)),
        Duration.ofSeconds(Integer.getInteger("fuzz.timeout.seconds", 40)),
        Duration.ofSeconds(Integer.getInteger("fuzz.mcp.timeout.seconds", 4)));
  }

  /** The seed of one iteration, so that a report's iteration can be told apart from its seed. */
  long seedOf(int iteration) {
    return seed * 1_000_003L + iteration;
  }

  @Override
  public String toString() {
    return "-Dfuzz.seed="
        + seed
        + " -Dfuzz.requests="
        + requests
        + " -Dfuzz.mcp.requests="
        + mcpRequests
        + " -Dfuzz.ws.frames="
        + wsFrames;
  }
}
