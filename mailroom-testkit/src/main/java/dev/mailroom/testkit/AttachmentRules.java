package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.MessageId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.spi.CleanupReport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Attachments: a message keeps the files it carries, and the store tells which blobs a stored
 * message still refers to, which is what keeps a blob from being removed.
 */
abstract class AttachmentRules extends ContractRules {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  AttachmentRules(StorageFixture fixture) {
    super(fixture);
  }

  static Attachment file(String name) {
    return new Attachment(BlobId.random(), name, "text/plain", 12_345, "ab".repeat(32));
  }

  @Test
  void aMessageKeepsItsAttachmentsInOrder() {
    agent("bob");
    Attachment log = file("build.log");
    Attachment diff =
        new Attachment(BlobId.random(), "ünïcode name.diff", "text/x-diff", 0, "cd".repeat(32));
    MessageId id = sent(from("alice").toAgent("bob").attachments(log, diff));

    assertThat(messages().find(id).orElseThrow().attachments()).containsExactly(log, diff);
    assertThat(firstPage("bob", 10).items().getFirst().message().attachments())
        .containsExactly(log, diff);
  }

  @Test
  void aMessageWithoutAttachmentsHasNone() {
    agent("bob");
    MessageId id = sent(from("alice").toAgent("bob"));

    assertThat(messages().find(id).orElseThrow().attachments()).isEmpty();
  }

  @Test
  void aBatchKeepsEachMessagesAttachments() {
    agent("bob");
    Attachment a = file("a.txt");
    Attachment b = file("b.txt");
    var results =
        sendAll(
            List.of(
                from("alice").toAgent("bob").attachments(a),
                from("alice").toAgent("bob"),
                from("alice").onTopic("builds").attachments(b)));

    assertThat(messages().find(results.get(0).id()).orElseThrow().attachments()).containsExactly(a);
    assertThat(messages().find(results.get(1).id()).orElseThrow().attachments()).isEmpty();
    assertThat(messages().find(results.get(2).id()).orElseThrow().attachments()).containsExactly(b);
  }

  @Test
  void theBlobsOfStoredMessagesAreReferencedAndNoOthers() {
    agent("bob");
    Attachment kept = file("kept.txt");
    Attachment twice = file("twice.txt");
    BlobId unknown = BlobId.random();
    sent(from("alice").toAgent("bob").attachments(kept, twice));
    sent(from("alice").to("shared").attachments(twice));

    assertThat(messages().referenced(Set.of(kept.blob(), twice.blob(), unknown)))
        .containsExactlyInAnyOrder(kept.blob(), twice.blob());
    assertThat(messages().referenced(Set.of(unknown))).isEmpty();
    assertThat(messages().referenced(Set.of())).isEmpty();
  }

  @Test
  void aBlobIsReferencedUntilItsLastMessageIsRemoved() {
    agent("bob");
    Attachment shared = file("shared.txt");
    sent(from("alice").toAgent("bob").attachments(shared).ttl(MINUTE));
    sent(from("alice").toAgent("bob").attachments(shared).ttl(MINUTE.multipliedBy(2)));

    clock().advance(MINUTE);
    drain();
    assertThat(messages().referenced(Set.of(shared.blob()))).containsExactly(shared.blob());

    clock().advance(MINUTE);
    drain();
    assertThat(messages().referenced(Set.of(shared.blob()))).isEmpty();
  }

  @Test
  void aMessageDroppedFromABoundedInboxKeepsItsBlobExactlyWhileItIsStillStored() {
    useRetention(RetentionPolicy.DEFAULTS.withMaxInboxSize(2));
    agent("bob");
    Attachment first = file("first.txt");
    MessageId dropped = sent(from("alice").toAgent("bob").attachments(first));
    sent(from("alice").toAgent("bob"));
    sent(from("alice").toAgent("bob"));

    assertThat(ids("bob")).doesNotContain(dropped);
    // A store may remove a message no mailbox holds at once (SQLite) or at its expiry (Redis).
    boolean stored = messages().find(dropped).isPresent();
    assertThat(messages().referenced(Set.of(first.blob())).contains(first.blob()))
        .isEqualTo(stored);
  }

  private void drain() {
    for (int pass = 0; pass < 100; pass++) {
      CleanupReport report = messages().purgeExpired(1_000);
      if (!report.more()) {
        return;
      }
    }
  }
}
