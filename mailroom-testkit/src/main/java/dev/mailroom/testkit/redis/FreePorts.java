package dev.mailroom.testkit.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks ports for Redis processes. A cluster node also listens on its port + 10000 (the cluster
 * bus, and Redis before 7 has no {@code cluster-port} to move it), so a port is handed out only
 * when both it and its bus port can be bound. Ports already handed out in this JVM are never handed
 * out again, so two fixtures starting at once cannot pick the same one; a race with another process
 * remains possible, which is why {@link RedisServer} retries a start that failed to bind.
 */
final class FreePorts {
  /** The offset of the cluster bus port that Redis uses by default. */
  static final int BUS_OFFSET = 10000;

  private static final int ATTEMPTS = 200;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port that, with its bus port, was free a moment ago and was not handed out before. */
  static int pick() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = ephemeralPort();
      int bus = port + BUS_OFFSET;
      if (bus > 65535 || !canBind(bus)) {
        continue;
      }
      if (reserve(port, bus)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "found no free port whose port+" + BUS_OFFSET + " is free too in " + ATTEMPTS + " tries");
  }

  private static synchronized boolean reserve(int port, int bus) {
    if (HANDED_OUT.contains(port) || HANDED_OUT.contains(bus)) {
      return false;
    }
    HANDED_OUT.add(port);
    HANDED_OUT.add(bus);
    return true;
  }

  private static int ephemeralPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind any port", e);
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
