package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.MessageId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Sends carrying an idempotency key, within and beyond the dedupe window. */
abstract class IdempotencyRules extends ContractRules {

  IdempotencyRules(StorageFixture fixture) {
    super(fixture);
  }

  private Duration window() {
    return fixture().retention().dedupeWindow();
  }

  @Test
  void duplicateKeyReturnsOriginalId() {
    MessageId original = sent(from("alice").to("team").key("k-1"));

    SendResult again = send(from("alice").to("team").key("k-1"));

    assertThat(again).isEqualTo(new SendResult.Duplicate(original, 1));
  }

  @Test
  void duplicateStoresNothing() {
    MessageId original = sent(from("alice").to("team").key("k-1").text("first"));
    tick(10);

    send(from("alice").to("team").key("k-1").text("second"));

    assertThat(ids("team")).containsExactly(original);
    assertThat(messages().find(original).orElseThrow().payload().text()).isEqualTo("first");
    assertThat(messages().mailbox(box("team")).orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void duplicateOfABroadcastReportsItsRecipients() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId original = sent(from("alice").broadcast().key("b"));

    SendResult again = send(from("alice").broadcast().key("b"));

    assertThat(again).isEqualTo(new SendResult.Duplicate(original, 2));
    assertThat(ids("bob")).containsExactly(original);
  }

  @Test
  void sameKeyFromAnotherSenderIsANewMessage() {
    MessageId fromAlice = sent(from("alice").to("team").key("k"));

    SendResult fromBob = send(from("bob").to("team").key("k"));

    assertThat(fromBob).isInstanceOf(SendResult.Accepted.class);
    assertThat(fromBob.id()).isNotEqualTo(fromAlice);
  }

  @Test
  void differentKeysAreDifferentMessages() {
    MessageId one = sent(from("alice").to("team").key("one"));
    MessageId two = sent(from("alice").to("team").key("two"));

    assertThat(ids("team")).containsExactly(one, two);
  }

  @Test
  void sendsWithoutKeyAreNeverDuplicates() {
    sent(from("alice").to("team"));
    sent(from("alice").to("team"));

    assertThat(ids("team")).hasSize(2);
  }

  @Test
  void keyIsRememberedUntilJustBeforeTheWindowEnds() {
    MessageId original = sent(from("alice").to("team").key("k"));
    clock().advance(window().minusSeconds(1));

    assertThat(send(from("alice").to("team").key("k")))
        .isEqualTo(new SendResult.Duplicate(original, 1));
  }

  @Test
  void keyIsForgottenAfterTheWindow() {
    MessageId original = sent(from("alice").to("team").key("k"));
    clock().advance(window().plusSeconds(1));

    SendResult later = send(from("alice").to("team").key("k"));

    assertThat(later).isInstanceOf(SendResult.Accepted.class);
    assertThat(later.id()).isGreaterThan(original);
  }

  @Test
  void keyIsForgottenAfterAShortConfiguredWindow() {
    useRetention(
        new RetentionPolicy(
            100, Duration.ofDays(30), Duration.ofMinutes(5), Duration.ofMinutes(1)));
    MessageId original = sent(from("alice").to("team").key("k"));
    clock().advance(Duration.ofMinutes(4));
    assertThat(send(from("alice").to("team").key("k")).id()).isEqualTo(original);

    clock().advance(Duration.ofMinutes(2));

    assertThat(send(from("alice").to("team").key("k"))).isInstanceOf(SendResult.Accepted.class);
  }

  @Test
  void purgeForgetsKeysPastTheWindow() {
    sent(from("alice").to("team").key("a").ttl(Duration.ofDays(30)));
    sent(from("alice").to("team").key("b").ttl(Duration.ofDays(30)));
    clock().advance(window().plusSeconds(1));
    sent(from("alice").to("team").key("c").ttl(Duration.ofDays(30)));

    CleanupReport report = messages().purgeExpired(1000);

    assertThat(report.idempotencyKeys()).isEqualTo(2);
    assertThat(report.messages()).isZero();
    assertThat(send(from("alice").to("team").key("a"))).isInstanceOf(SendResult.Accepted.class);
    assertThat(send(from("alice").to("team").key("c"))).isInstanceOf(SendResult.Duplicate.class);
  }

  @Test
  void purgeKeepsKeysWithinTheWindow() {
    MessageId original = sent(from("alice").to("team").key("k"));
    clock().advance(window().minusMinutes(1));

    messages().purgeExpired(1000);

    assertThat(send(from("alice").to("team").key("k")).id()).isEqualTo(original);
  }
}
