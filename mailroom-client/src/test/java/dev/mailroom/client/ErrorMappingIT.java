package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.server.SecuritySettings;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each class of error answer becomes a {@link MailroomClientException} of its kind. */
class ErrorMappingIT {
  @RegisterExtension static final TestServer server = new TestServer();

  /** One request per second per agent, no burst beyond it. */
  @RegisterExtension
  static final TestServer limited =
      new TestServer(b -> b.security(SecuritySettings.DEFAULTS.withAgentRate(1, 1)));

  private static MailroomClientException failure(Runnable call) {
    return catchThrowableOfType(MailroomClientException.class, call::run);
  }

  @Test
  void aValidationProblemNamesEveryBadFieldWithTheRequestId() {
    MailroomClient agent = server.client(server.newAgent("bad"));
    MailroomClientException e =
        failure(
            () -> agent.messages().inbox(ListQuery.builder().limit(5000).afterId("nope").build()));
    assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.BAD_REQUEST);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.fieldErrors()).extracting(FieldErrorView::field).contains("limit", "after_id");
    assertThat(e.requestId()).isPresent();
    assertThat(e.problem().orElseThrow().type()).isEqualTo("/problems/invalid-request");
    assertThat(e.getMessage()).contains("400").contains(e.requestId().orElseThrow());
    assertThat(e.kind().retryable()).isFalse();
  }

  @Test
  void eachErrorStatusHasItsKind() {
    AgentCreated agentCreated = server.newAgent("kinds");
    MailroomClient agent = server.client(agentCreated);
    assertThat(failure(() -> server.client("mr_wrong").messages().unreadCount()).kind())
        .isEqualTo(MailroomClientException.Kind.UNAUTHENTICATED);
    assertThat(failure(() -> agent.stats().system()).kind())
        .isEqualTo(MailroomClientException.Kind.FORBIDDEN);
    assertThat(failure(() -> agent.messages().get("1M819J5X70000")).kind())
        .isEqualTo(MailroomClientException.Kind.NOT_FOUND);
    assertThat(failure(() -> server.admin().agents().create(agentCreated.id())).kind())
        .isEqualTo(MailroomClientException.Kind.CONFLICT);
    String big = "x".repeat(1024 * 1024 + 1);
    assertThat(
            failure(() -> agent.messages().send(Draft.direct(agentCreated.id()).text(big))).kind())
        .isEqualTo(MailroomClientException.Kind.TOO_LARGE);
  }

  @Test
  void overItsRateAnAgentIsRateLimitedWithRetryAfter() {
    MailroomClient agent = limited.client(limited.newAgent("hasty"));
    MailroomClientException e =
        failure(
            () -> {
              for (int i = 0; i < 10; i++) {
                agent.messages().unreadCount();
              }
            });
    assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).isPresent();
    assertThat(e.kind().retryable()).isTrue();
  }

  @Test
  void noServerIsAConnectionFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (MailroomClient nobody =
        MailroomClient.builder()
            .baseUri(URI.create("http://127.0.0.1:" + port))
            .token("mr_x")
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      MailroomClientException e = failure(nobody::health);
      assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.CONNECTION_FAILED);
      assertThat(e.status()).isZero();
      assertThat(e.problem()).isEmpty();
      assertThat(e.kind().retryable()).isTrue();
    }
  }
}
