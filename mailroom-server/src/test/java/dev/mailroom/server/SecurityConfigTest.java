package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The security settings as docs/CONFIGURATION.md names them: keys, variables and defaults. */
class SecurityConfigTest {
  private static SecuritySettings load(Map<String, String> flags, Map<String, String> env) {
    return ConfigLoader.load(flags, env, Optional.empty()).security();
  }

  @Test
  void theDefaultsAreNoAgentLimitAndSixtyFailuresAMinuteInBurstsOfTwenty() {
    SecuritySettings s = load(Map.of(), Map.of());

    assertThat(s).isEqualTo(SecuritySettings.DEFAULTS);
    assertThat(s.tokenTtl()).isEmpty();
    assertThat(s.agentRequestsPerSecond()).isZero();
    assertThat(s.authFailuresPerMinute()).isEqualTo(60);
    assertThat(s.authFailureBurst()).isEqualTo(20);
    assertThat(s.auditRetention()).isEqualTo(Duration.ofDays(90));
    assertThat(s.auditQueueSize()).isEqualTo(65_536);
    assertThat(s.tls()).isEmpty();
  }

  @Test
  void anAgentRateFromTheEnvironmentHasABurstOfTwiceTheRateUnlessGiven() {
    Map<String, String> env = Map.of("MAILROOM_RATE_LIMIT_REQUESTS_PER_SECOND", "50");

    assertThat(load(Map.of(), env).agentBurst()).isEqualTo(100);
    assertThat(load(Map.of("rate-limit.burst", "7"), env).agentBurst()).isEqualTo(7);
    assertThat(load(Map.of(), env).agentRequestsPerSecond()).isEqualTo(50);
  }

  @Test
  void everyKeyHasItsVariable() {
    SecuritySettings s =
        load(
            Map.of(),
            Map.of(
                "MAILROOM_AUTH_TOKEN_TTL", "30d",
                "MAILROOM_RATE_LIMIT_BURST", "9",
                "MAILROOM_RATE_LIMIT_REQUESTS_PER_SECOND", "3",
                "MAILROOM_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "0",
                "MAILROOM_RATE_LIMIT_AUTH_FAILURE_BURST", "5",
                "MAILROOM_AUDIT_RETENTION", "7d",
                "MAILROOM_AUDIT_QUEUE_SIZE", "100",
                "MAILROOM_TLS_KEY_STORE", "/etc/mailroom/server.jks",
                "MAILROOM_TLS_KEY_STORE_PASSWORD", "s3cret",
                "MAILROOM_TLS_KEY_STORE_TYPE", "JKS"));

    assertThat(s.tokenTtl()).contains(Duration.ofDays(30));
    assertThat(s.agentRequestsPerSecond()).isEqualTo(3);
    assertThat(s.agentBurst()).isEqualTo(9);
    assertThat(s.authFailuresPerMinute()).isZero();
    assertThat(s.authFailureBurst()).isEqualTo(5);
    assertThat(s.auditRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(s.auditQueueSize()).isEqualTo(100);
    assertThat(s.tls())
        .contains(new SecuritySettings.Tls(Path.of("/etc/mailroom/server.jks"), "s3cret", "JKS"));
    assertThat(s.toString()).doesNotContain("s3cret");
  }

  @Test
  void aTokenTtlOfZeroMeansTokensNeverExpire() {
    assertThat(load(Map.of("auth.token-ttl", "0"), Map.of()).tokenTtl()).isEmpty();
  }

  @Test
  void anUnknownKeyStoreTypeIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> load(Map.of("tls.key-store", "/x.pem", "tls.key-store-type", "PEM"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS12 or JKS");
  }
}
