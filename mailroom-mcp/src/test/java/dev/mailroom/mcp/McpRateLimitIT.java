package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.server.SecuritySettings;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /mcp} requests count against their agent's request rate, like {@code /v1} ones. */
class McpRateLimitIT {
  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b ->
              b.endpoint(MailroomMcp.endpoint())
                  .security(SecuritySettings.DEFAULTS.withAgentRate(1, 1)));

  @Test
  void anAgentOverItsRateIsAnswered429WithRetryAfter() {
    AgentCreated bob = server.newAgent("bob");

    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(
          RawMcp.post(
              server.baseUri(), Optional.of(bob.token()), Optional.empty(), RawMcp.INITIALIZE));
    }

    assertThat(answers)
        .anySatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(429);
              assertThat(r.headers().firstValue("Retry-After")).isPresent();
              assertThat(r.body()).contains("is over its limit");
            });
  }
}
