package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.MailroomClient;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpSessionsTest {
  private static final Duration FORGET_AFTER = Duration.ofHours(1);

  private final AtomicLong now = new AtomicLong();
  private final HttpSessions sessions =
      new HttpSessions(
          HttpServletStreamableServerTransportProvider.builder().build(),
          () -> MailroomClient.builder().baseUri(URI.create("http://127.0.0.1:1")).build(),
          FORGET_AFTER,
          now::get);

  @Test
  void aSessionServesOnlyItsAgentAndActsWithTheLatestTokenItUsed() {
    sessions.opened("s1", "bob", "mr_old");

    assertThat(sessions.use("s1", "eve", "mr_eve")).isEmpty();
    assertThat(sessions.use("s1", "bob", "mr_new"))
        .get()
        .extracting(HttpSessions.Session::agent)
        .isEqualTo("bob");
    assertThat(sessions.use("unknown", "bob", "mr_new")).isEmpty();
  }

  @Test
  void anUnusedSessionIsForgottenUnlessItsClientListens() {
    HttpSessions.Session listening = sessions.opened("s1", "bob", "t");
    sessions.opened("s2", "bob", "t");
    listening.streamOpened();

    now.addAndGet(FORGET_AFTER.toNanos() + 1);

    assertThat(sessions.use("s1", "bob", "t")).isPresent();
    assertThat(sessions.use("s2", "bob", "t")).isEmpty();
    listening.streamClosed();
    now.addAndGet(FORGET_AFTER.toNanos() + 1);
    assertThat(listening.open()).isFalse();
  }

  @Test
  void waitingForAListenerEndsWhenOneComesOrTheSessionEnds() throws InterruptedException {
    HttpSessions.Session s = sessions.opened("s1", "bob", "t");
    assertThat(s.awaitListening(Duration.ZERO)).isFalse();

    s.streamOpened();
    assertThat(s.awaitListening(Duration.ofSeconds(5))).isTrue();

    sessions.ended("s1");
    assertThat(s.open()).isFalse();
    assertThat(s.awaitListening(Duration.ofSeconds(5))).isFalse();
  }
}
