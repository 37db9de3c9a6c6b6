package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.MailroomClient;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
          now::get,
          3,
          5);

  private HttpSessions.Session open(String id, String agent) {
    sessions.opened(id, agent, "t");
    return sessions.use(id, agent, "t").orElseThrow();
  }

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
    HttpSessions.Session listening = open("s1", "bob");
    open("s2", "bob");
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
    HttpSessions.Session s = open("s1", "bob");
    assertThat(s.awaitListening(Duration.ZERO)).isFalse();

    s.streamOpened();
    assertThat(s.awaitListening(Duration.ofSeconds(5))).isTrue();

    sessions.ended("s1");
    assertThat(s.open()).isFalse();
    assertThat(s.awaitListening(Duration.ofSeconds(5))).isFalse();
  }

  @Test
  void anAgentOpeningOneSessionTooManyEndsItsLeastRecentlyUsedOne() {
    open("s1", "bob");
    now.addAndGet(10);
    HttpSessions.Session listening = open("s2", "bob");
    listening.streamOpened();
    now.addAndGet(10);
    open("s3", "bob");
    now.addAndGet(10);
    sessions.use("s1", "bob", "t"); // s1 is used again: s3 is now the least recently used idle one
    now.addAndGet(10);
    open("e1", "eve");

    assertThat(sessions.opened("s4", "bob", "t")).containsExactly("s3");

    assertThat(sessions.use("s3", "bob", "t")).isEmpty();
    assertThat(sessions.use("s1", "bob", "t")).isPresent();
    assertThat(sessions.use("s2", "bob", "t")).isPresent();
    assertThat(sessions.use("s4", "bob", "t")).isPresent();
    assertThat(sessions.use("e1", "eve", "t")).isPresent();
  }

  @Test
  void whenEverySessionOfAnAgentIsListenedToTheOldestGoes() {
    for (String id : List.of("s1", "s2", "s3")) {
      open(id, "bob").streamOpened();
      now.addAndGet(10);
    }

    assertThat(sessions.opened("s4", "bob", "t")).containsExactly("s1");
  }

  @Test
  void theServerIsFullAtItsLimitUntilASessionEndsOrExpires() {
    for (int i = 0; i < 5; i++) {
      open("s" + i, "agent" + i);
    }

    assertThat(sessions.full()).isTrue();
    sessions.ended("s0");
    assertThat(sessions.full()).isFalse();
    open("s5", "agent5");
    now.addAndGet(FORGET_AFTER.toNanos() + 1);
    assertThat(sessions.full()).isFalse();
  }
}
