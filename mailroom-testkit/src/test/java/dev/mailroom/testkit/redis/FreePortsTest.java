package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports are handed out once each, and the cluster bus port beside each is free too. */
class FreePortsTest {
  @Test
  void handsOutDistinctPortsWhoseBusPortIsFree() throws IOException {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      int port = FreePorts.pick();
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      assertThat(seen).doesNotContain(port + FreePorts.BUS_OFFSET);
      try (ServerSocket a = new ServerSocket(port);
          ServerSocket b = new ServerSocket(port + FreePorts.BUS_OFFSET)) {
        assertThat(a.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
