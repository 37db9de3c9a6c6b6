package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.spi.StoreHealth;
import org.junit.jupiter.api.Test;

/** The storage as a whole: its health and closing it. */
abstract class LifecycleRules extends ContractRules {

  LifecycleRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void healthReportsUpAndNamesTheBackend() {
    StoreHealth health = storage().health();

    assertThat(health.up()).isTrue();
    assertThat(health.backend()).isNotBlank();
    assertThat(health.details().values())
        .allSatisfy(v -> assertThat(v).isInstanceOfAny(String.class, Number.class, Boolean.class));
  }

  @Test
  void healthStaysUpUnderUse() {
    agent("bob");
    sent(from("alice").toAgent("bob"));

    assertThat(storage().health().up()).isTrue();
  }

  @Test
  void closingTwiceIsHarmless() {
    sent(from("alice").to("box"));

    storage().close();
    storage().close();
  }
}
