package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private static final String HOST = "192.0.2.1";
  private static final String WRONG = "Bearer mr_wrong_0000000000000000000000000000000000000000";

  private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"));
  private final CountingAgents agents =
      new CountingAgents(InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS).agents());
  private final Authenticator auth =
      new Authenticator(agents, 100, System::nanoTime, InstantSource.system());

  private String register(String id) {
    String token = Tokens.generate();
    agents.create(
        new AgentRecord(AgentId.of(id), Set.of(Role.AGENT), clock.instant()), Tokens.hash(token));
    return "Bearer " + token;
  }

  /** Limits with {@code perMinute} failures per address, burst {@code burst}, no agent limit. */
  private RateLimits failures(int perMinute, int burst) {
    return new RateLimits(
        SecuritySettings.DEFAULTS.withAuthFailureRate(perMinute, burst), Optional.empty(), clock);
  }

  /** Limits of {@code rate} requests per second per agent, kept in memory. */
  private RateLimits agentRate(int rate, int burst) {
    SecuritySettings s = SecuritySettings.DEFAULTS.withAgentRate(rate, burst);
    Buckets local =
        new LocalBuckets(Buckets.refilling(burst, rate, Duration.ofSeconds(1)), clock, 100);
    return new RateLimits(s, Optional.of(local), clock);
  }

  private static void assertRateLimited(Runnable call, Duration retryAfter) {
    assertThatThrownBy(call::run)
        .asInstanceOf(type(MailroomException.LimitExceeded.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
              assertThat(e.retryAfter()).contains(retryAfter);
            });
  }

  private static void assertUnauthenticated(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOf(MailroomException.Unauthenticated.class);
  }

  @Test
  void failedAuthenticationsGet401UntilTheBurstIsSpentThen429() {
    RateLimits limits = failures(60, 3);

    for (int i = 0; i < 3; i++) {
      assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    }
    assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(1));
    assertThat(limits.limited(RateLimits.Kind.ADDRESS)).isOne();
  }

  @Test
  void concurrentFailuresGetNoMore401sThanTheBurst() throws Exception {
    RateLimits limits = failures(60, 20);
    AtomicInteger unauthenticated = new AtomicInteger();
    AtomicInteger limited = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 400; i++) {
        pool.submit(
            () -> {
              try {
                limits.admit(auth, WRONG, HOST);
              } catch (MailroomException.Unauthenticated e) {
                unauthenticated.incrementAndGet();
              } catch (MailroomException.LimitExceeded e) {
                limited.incrementAndGet();
              }
            });
      }
    }

    assertThat(unauthenticated).hasValue(20);
    assertThat(limited).hasValue(380);
  }

  @Test
  void malformedAndMissingCredentialsCountAsFailures() {
    RateLimits limits = failures(60, 2);

    assertUnauthenticated(() -> limits.admit(auth, null, HOST));
    assertUnauthenticated(() -> limits.admit(auth, "Basic dXNlcjpwYXNz", HOST));

    assertRateLimited(() -> limits.admit(auth, null, HOST), Duration.ofSeconds(1));
  }

  @Test
  void aValidTokenFromABlockedAddressIsStillServed() {
    String alice = register("alice");
    RateLimits limits = failures(60, 1);
    assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(1));

    assertThat(limits.admit(auth, alice, HOST).principal().id()).isEqualTo(AgentId.of("alice"));
  }

  @Test
  void anotherAddressIsNotBlocked() {
    RateLimits limits = failures(60, 1);
    assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(1));

    assertUnauthenticated(() -> limits.admit(auth, WRONG, "192.0.2.2"));
  }

  @Test
  void aBlockedAddressRepeatingAFailedTokenIsRefusedWithoutAStoreLookup() {
    RateLimits limits = failures(60, 1);
    assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    int lookups = agents.lookups.get();

    for (int i = 0; i < 100; i++) {
      assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(1));
    }

    assertThat(agents.lookups.get()).isEqualTo(lookups);
  }

  @Test
  void aBlockedAddressLooksUpANewTokenOnceOnly() {
    RateLimits limits = failures(60, 1);
    assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    int lookups = agents.lookups.get();
    String other = "Bearer mr_other_111111111111111111111111111111111111111";

    assertRateLimited(() -> limits.admit(auth, other, HOST), Duration.ofSeconds(1));
    assertRateLimited(() -> limits.admit(auth, other, HOST), Duration.ofSeconds(1));

    assertThat(agents.lookups.get()).isEqualTo(lookups + 1);
  }

  @Test
  void failuresAreAllowedAgainAtTheConfiguredRate() {
    RateLimits limits = failures(6, 1); // one every 10 s
    assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(4));
    assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(6));

    clock.advance(Duration.ofSeconds(6));
    assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    assertRateLimited(() -> limits.admit(auth, WRONG, HOST), Duration.ofSeconds(10));
  }

  @Test
  void noFailureLimitWhenItIsZero() {
    RateLimits limits = failures(0, 1);

    for (int i = 0; i < 1_000; i++) {
      assertUnauthenticated(() -> limits.admit(auth, WRONG, HOST));
    }
    assertThat(limits.limited(RateLimits.Kind.ADDRESS)).isZero();
  }

  @Test
  void anAgentOverItsRateGets429UntilItsBucketRefills() {
    String alice = register("alice");
    RateLimits limits = agentRate(2, 3);

    for (int i = 0; i < 3; i++) {
      limits.admit(auth, alice, HOST);
    }
    assertRateLimited(() -> limits.admit(auth, alice, HOST), Duration.ofSeconds(1));
    assertThat(limits.limited(RateLimits.Kind.AGENT)).isOne();

    clock.advance(Duration.ofMillis(500)); // 2 per second: one token back
    limits.admit(auth, alice, HOST);
    assertRateLimited(() -> limits.admit(auth, alice, HOST), Duration.ofSeconds(1));
  }

  @Test
  void oneAgentOverItsRateDoesNotLimitAnother() {
    String alice = register("alice");
    String bob = register("bob");
    RateLimits limits = agentRate(1, 1);
    limits.admit(auth, alice, HOST);
    assertRateLimited(() -> limits.admit(auth, alice, HOST), Duration.ofSeconds(1));

    assertThat(limits.admit(auth, bob, HOST).principal().id()).isEqualTo(AgentId.of("bob"));
  }

  @Test
  void aBurstSmallerThanTheRateIsAllowed() {
    String alice = register("alice");
    RateLimits limits = agentRate(10, 1);
    limits.admit(auth, alice, HOST);
    assertRateLimited(() -> limits.admit(auth, alice, HOST), Duration.ofSeconds(1));

    clock.advance(Duration.ofMillis(100));
    limits.admit(auth, alice, HOST);
  }

  @Test
  void noAgentLimitByDefault() {
    String alice = register("alice");
    RateLimits limits = new RateLimits(SecuritySettings.DEFAULTS, Optional.empty(), clock);

    for (int i = 0; i < 1_000; i++) {
      limits.admit(auth, alice, HOST);
    }
    assertThat(limits.limited(RateLimits.Kind.AGENT)).isZero();
  }

  @Test
  void localBucketsForgetTheLeastRecentlyUsedKeyBeyondTheirSize() {
    LocalBuckets buckets =
        new LocalBuckets(Buckets.refilling(1, 1, Duration.ofMinutes(1)), clock, 2);
    assertThat(buckets.take("a")).isEmpty();
    assertThat(buckets.take("b")).isEmpty();
    assertThat(buckets.take("a")).isPresent(); // a is now the most recently used
    assertThat(buckets.take("c")).isEmpty(); // evicts b

    assertThat(buckets.size()).isEqualTo(2);
    assertThat(buckets.emptyFor("a")).isPresent();
    assertThat(buckets.take("b")).as("a forgotten key starts full").isEmpty();
  }

  @Test
  void emptyForNeitherTakesNorCreates() {
    LocalBuckets buckets =
        new LocalBuckets(Buckets.refilling(1, 1, Duration.ofMinutes(1)), clock, 10);

    assertThat(buckets.emptyFor("a")).isEmpty();
    assertThat(buckets.size()).isZero();
    assertThat(buckets.take("a")).isEmpty();
    assertThat(buckets.emptyFor("a")).contains(Duration.ofSeconds(60));
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(Buckets.retryAfter(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Buckets.retryAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Buckets.retryAfter(1_000_000_000L)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Buckets.retryAfter(1_000_000_001L)).isEqualTo(Duration.ofSeconds(2));
  }
}
