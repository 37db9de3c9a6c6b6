package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.spi.PolicyDocument;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The access policy: one versioned document, replaced by compare-and-set on its version. */
abstract class AccessRules extends ContractRules {

  AccessRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void aNewStoreHoldsTheEmptyPolicyAtVersionZero() {
    assertThat(access().policy()).isEqualTo(PolicyDocument.EMPTY);
  }

  @Test
  void replacingAtTheStoredVersionStoresTheNextOne() {
    assertThat(access().replacePolicy(0, "first")).hasValue(1);
    assertThat(access().policy()).isEqualTo(new PolicyDocument(1, "first"));

    assertThat(access().replacePolicy(1, "second")).hasValue(2);
    assertThat(access().replacePolicy(2, "third")).hasValue(3);

    assertThat(access().policy()).isEqualTo(new PolicyDocument(3, "third"));
  }

  @Test
  void replacingAtAnotherVersionChangesNothing() {
    access().replacePolicy(0, "first");
    access().replacePolicy(1, "second");

    assertThat(access().replacePolicy(1, "stale")).isEmpty();
    assertThat(access().replacePolicy(0, "older")).isEmpty();
    assertThat(access().replacePolicy(7, "future")).isEmpty();

    assertThat(access().policy()).isEqualTo(new PolicyDocument(2, "second"));
  }

  @Test
  void theDocumentComesBackExactly() {
    String document =
        "{\"rules\":[{\"principal\":\"role:night-shift\",\"resource\":\"ai.**\"}],\n"
            + "\"note\":\"ünïcödé ✓ 日本語 𝄞, quotes \\\" and \\\\ and a tab\t\"}"
            + "x".repeat(100_000);

    access().replacePolicy(0, document);

    assertThat(access().policy().content()).isEqualTo(document);
  }

  @Test
  void anEmptyDocumentCanBeStored() {
    access().replacePolicy(0, "something");

    assertThat(access().replacePolicy(1, "")).hasValue(2);

    assertThat(access().policy()).isEqualTo(new PolicyDocument(2, ""));
  }

  @Test
  void ofConcurrentReplacementsOfOneVersionExactlyOneWins() throws Exception {
    access().replacePolicy(0, "base");

    List<OptionalLong> outcomes =
        ConcurrencyRules.inParallel(16, i -> access().replacePolicy(1, "writer-" + i));

    List<Integer> winners =
        IntStream.range(0, outcomes.size())
            .filter(i -> outcomes.get(i).isPresent())
            .boxed()
            .toList();
    assertThat(winners).hasSize(1);
    assertThat(outcomes.get(winners.getFirst())).hasValue(2);
    assertThat(access().policy()).isEqualTo(new PolicyDocument(2, "writer-" + winners.getFirst()));
  }
}
