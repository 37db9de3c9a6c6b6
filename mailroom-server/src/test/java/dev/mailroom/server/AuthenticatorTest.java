package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticatorTest {
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"));
  private final CountingAgents agents =
      new CountingAgents(InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS).agents());
  private final AtomicLong nanos = new AtomicLong();
  private final Authenticator auth =
      new Authenticator(agents, 2, nanos::get, InstantSource.system());

  private String register(String id, Role role) {
    String token = Tokens.generate();
    agents.create(
        new AgentRecord(AgentId.of(id), Set.of(role), clock.instant()), Tokens.hash(token));
    return token;
  }

  @Test
  void aKnownTokenNamesItsAgent() {
    String token = register("alice", Role.AGENT);

    Principal p = auth.authenticate("Bearer " + token);

    assertThat(p.id()).isEqualTo(AgentId.of("alice"));
    assertThat(p.isAdmin()).isFalse();
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    String token = register("alice", Role.ADMIN);

    assertThat(auth.authenticate("bearer " + token).isAdmin()).isTrue();
  }

  @Test
  void aCachedTokenDoesNotAskTheStoreAgain() {
    String token = register("alice", Role.AGENT);

    for (int i = 0; i < 100; i++) {
      auth.authenticate("Bearer " + token);
    }

    assertThat(agents.lookups.get()).isEqualTo(1);
  }

  @Test
  void aCachedTokenIsCheckedAgainAfterTheCacheTtl() {
    String token = register("alice", Role.AGENT);
    auth.authenticate("Bearer " + token);

    nanos.addAndGet(Authenticator.CACHE_TTL.toNanos() + 1);
    auth.authenticate("Bearer " + token);

    assertThat(agents.lookups.get()).isEqualTo(2);
  }

  @Test
  void whileTheStoreIsDownATokenKnownBeforeStillWorksAndAnUnknownOneGets503() {
    String known = register("alice", Role.AGENT);
    String unknown = register("bob", Role.AGENT);
    auth.authenticate("Bearer " + known);
    agents.down = true;

    nanos.addAndGet(Authenticator.CACHE_TTL.toNanos() + 1);

    assertThat(auth.authenticate("Bearer " + known).id()).isEqualTo(AgentId.of("alice"));
    assertThat(auth.stillValid(AgentId.of("alice"), Tokens.hash(known))).isTrue();
    assertThatThrownBy(() -> auth.authenticate("Bearer " + unknown))
        .isInstanceOf(MailroomException.Unavailable.class);
  }

  @Test
  void aTokenCachedBeforeAnInvalidationStillWorksWhileTheStoreIsDown() {
    // A resync (missed changes) comes just before the store goes down: what the node knew serves.
    String known = register("alice", Role.AGENT);
    auth.authenticate("Bearer " + known);
    auth.invalidateAll();
    agents.down = true;

    assertThat(auth.authenticate("Bearer " + known).id()).isEqualTo(AgentId.of("alice"));
    agents.down = false;
    auth.authenticate("Bearer " + known);
    assertThat(agents.lookups.get())
        .as("lookups: the first, one that found the store down, one after")
        .isEqualTo(3);
  }

  @Test
  void aReplacedTokenStopsWorkingOnceTheCacheForgetsIt() {
    String old = register("alice", Role.AGENT);
    auth.authenticate("Bearer " + old);
    agents.replaceToken(AgentId.of("alice"), Tokens.hash(Tokens.generate()), Optional.empty());

    auth.invalidateAll();

    assertThatThrownBy(() -> auth.authenticate("Bearer " + old))
        .isInstanceOf(MailroomException.Unauthenticated.class);
  }

  @Test
  void forgettingAnAgentDropsOnlyItsCachedTokens() {
    String alice = register("alice", Role.AGENT);
    String bob = register("bob", Role.AGENT);
    auth.authenticate("Bearer " + alice);
    auth.authenticate("Bearer " + bob);
    agents.replaceToken(AgentId.of("alice"), Tokens.hash(Tokens.generate()), Optional.empty());
    int lookups = agents.lookups.get();

    auth.forget(AgentId.of("alice"));

    assertThatThrownBy(() -> auth.authenticate("Bearer " + alice))
        .isInstanceOf(MailroomException.Unauthenticated.class);
    assertThat(auth.authenticate("Bearer " + bob).id()).isEqualTo(AgentId.of("bob"));
    assertThat(agents.lookups.get()).isEqualTo(lookups + 1); // bob came from the cache
  }

  @Test
  void theCacheHoldsAtMostItsSize() {
    String a = register("a", Role.AGENT);
    String b = register("b", Role.AGENT);
    String c = register("c", Role.AGENT);
    auth.authenticate("Bearer " + a);
    auth.authenticate("Bearer " + b);
    auth.authenticate("Bearer " + c);

    auth.authenticate("Bearer " + a); // evicted by c (size 2): asks the store again

    assertThat(agents.lookups.get()).isEqualTo(4);
  }

  @Test
  void anUnknownTokenIsRefusedAndNotCached() {
    register("alice", Role.AGENT);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> auth.authenticate("Bearer mr_unknown"))
          .isInstanceOf(MailroomException.Unauthenticated.class);
    }
    assertThat(agents.lookups.get()).isEqualTo(2);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "mr_x"})
  void malformedHeadersAreRefusedWithoutAskingTheStore(String header) {
    assertThatThrownBy(() -> auth.authenticate(header))
        .isInstanceOf(MailroomException.Unauthenticated.class);
    assertThat(agents.lookups.get()).isZero();
  }

  @Test
  void tokensAreRandomUrlSafeAndStoredOnlyAsTheirHash() {
    String a = Tokens.generate();
    String b = Tokens.generate();

    assertThat(a).startsWith("mr_").hasSize(3 + 43).matches("mr_[A-Za-z0-9_-]+").isNotEqualTo(b);
    assertThat(Tokens.hash(a)).hasSize(64).matches("[0-9a-f]+").doesNotContain(a.substring(3));
    assertThat(Tokens.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
