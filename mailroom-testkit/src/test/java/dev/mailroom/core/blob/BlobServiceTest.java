package dev.mailroom.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.Limits;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Principal;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blob service on the reference storage: who may do what with an upload, the limits, how a send
 * attaches blobs, and which blobs a cleaning pass removes. It lives in the test kit because core
 * cannot depend on the reference storage.
 */
class BlobServiceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final int PART = BlobLimits.MIN_PART_SIZE;
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static final Duration UPLOAD_TTL = Duration.ofHours(1);
  private static final BlobLimits LIMITS =
      new BlobLimits(4 * PART, 6 * PART, 2, PART, UPLOAD_TTL, GRACE);

  private final MutableClock clock = MutableClock.of(START);
  private final Storage storage = InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS);
  private final BlobService blobs =
      new BlobService(storage.blobs(), storage.messages(), clock, LIMITS);
  private final Principal alice = register("alice", Role.AGENT);
  private final Principal bob = register("bob", Role.AGENT);
  private final Principal watcher = register("watcher", Role.OBSERVER);
  private final Principal root = register("root", Role.ADMIN);

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  private Principal register(String id, Role role) {
    AgentRecord record = new AgentRecord(AgentId.of(id), Set.of(role), clock.instant());
    storage.agents().create(record, "hash-" + id);
    return record.principal();
  }

  @Test
  void onlyTheOwnerWritesAnUploadWhileAdminsAndObserversMayLook() {
    Blob upload = create(alice, 10);

    assertThat(blobs.get(alice, upload.id())).isEqualTo(upload);
    assertThat(blobs.get(root, upload.id())).isEqualTo(upload);
    assertThat(blobs.get(watcher, upload.id())).isEqualTo(upload);
    assertThatThrownBy(() -> blobs.get(bob, upload.id()))
        .isInstanceOf(MailroomException.Forbidden.class);
    assertThatThrownBy(() -> put(root, upload, 0, new byte[10]))
        .isInstanceOf(MailroomException.Forbidden.class);
    assertThatThrownBy(() -> blobs.complete(bob, upload.id()))
        .isInstanceOf(MailroomException.Forbidden.class);
    assertThatThrownBy(() -> blobs.delete(bob, upload.id()))
        .isInstanceOf(MailroomException.Forbidden.class);
    blobs.delete(root, upload.id());
    assertThatThrownBy(() -> blobs.get(alice, upload.id()))
        .isInstanceOf(MailroomException.NotFound.class);
  }

  @Test
  void observersMayNotUpload() {
    assertThatThrownBy(() -> create(watcher, 1)).isInstanceOf(MailroomException.Forbidden.class);
    create(root, 1);
  }

  @Test
  void sizesAndQuotaAreLimited() {
    assertThatThrownBy(() -> create(alice, 4 * PART + 1))
        .isInstanceOfSatisfying(
            MailroomException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    create(alice, 4 * PART);
    create(alice, 2 * PART);
    assertThatThrownBy(() -> create(alice, 1))
        .isInstanceOfSatisfying(
            MailroomException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    assertThat(blobs.usage(alice.id())).isEqualTo(6L * PART);
    create(bob, 1);
  }

  @Test
  void fieldsAreCheckedByName() {
    assertThatThrownBy(
            () -> blobs.create(alice, "a/b", "text/plain", 1, Optional.empty(), Optional.empty()))
        .hasMessageStartingWith("name:");
    assertThatThrownBy(
            () -> blobs.create(alice, "a", "text plain", 1, Optional.empty(), Optional.empty()))
        .hasMessageStartingWith("content_type:");
    assertThatThrownBy(
            () -> blobs.create(alice, "a", "text/plain", 1, Optional.of(10), Optional.empty()))
        .hasMessageStartingWith("part_size:");
    assertThatThrownBy(
            () -> blobs.create(alice, "a", "text/plain", 1, Optional.empty(), Optional.of("ABC")))
        .hasMessageStartingWith("sha256:");
    assertThatThrownBy(
            () -> blobs.create(alice, "a", "text/plain", -1, Optional.empty(), Optional.empty()))
        .hasMessageStartingWith("size:");
  }

  @Test
  void aPartOutsideTheUploadIsNotFound() {
    Blob upload = create(alice, 10);

    assertThatThrownBy(() -> put(alice, upload, 1, new byte[10]))
        .isInstanceOf(MailroomException.NotFound.class);
  }

  @Test
  void aSendAttachesOnlyCompleteBlobsOfItsSenderAndCarriesTheirFacts() {
    Blob done = complete(alice, bytes(100));
    Blob open = create(alice, 5);
    Blob bobs = complete(bob, bytes(5));
    MessageService service = MessageService.create(storage, clock, Limits.DEFAULTS);
    assertThatThrownBy(() -> blobs.attach(alice, List.of(AttachmentRef.of(open.id()))))
        .isInstanceOf(MailroomException.Conflict.class)
        .hasMessageStartingWith("attachments[0].blob_id:");
    assertThatThrownBy(() -> blobs.attach(alice, List.of(AttachmentRef.of(bobs.id()))))
        .isInstanceOf(MailroomException.Forbidden.class);
    assertThatThrownBy(() -> blobs.attach(alice, List.of(AttachmentRef.of(BlobId.random()))))
        .isInstanceOf(MailroomException.NotFound.class);
    assertThatThrownBy(
            () ->
                blobs.attach(
                    alice,
                    List.of(
                        AttachmentRef.of(done.id()),
                        AttachmentRef.of(done.id()),
                        AttachmentRef.of(done.id()))))
        .hasMessageStartingWith("attachments:");

    var id =
        service
            .send(
                alice,
                withFiles(new AttachmentRef(done.id(), Optional.of("log.txt"), Optional.empty())))
            .id();
    Attachment carried = storage.messages().find(id).orElseThrow().attachments().getFirst();
    assertThat(carried)
        .isEqualTo(
            new Attachment(
                done.id(), "log.txt", done.contentType(), 100, done.sha256().orElseThrow()));
  }

  @Test
  void collectingRemovesAbandonedUploadsAndBlobsNothingCarriesAfterTheirGrace() {
    Blob abandoned = create(alice, 2 * PART);
    Blob sent = complete(alice, bytes(10));
    Blob unsent = complete(alice, bytes(10));
    MessageService service = MessageService.create(storage, clock, Limits.DEFAULTS);
    service.send(alice, withFiles(AttachmentRef.of(sent.id())));

    clock.advance(GRACE.minusSeconds(1));
    assertThat(blobs.collect()).isEqualTo(new BlobService.Collected(0, 0));
    clock.advance(Duration.ofSeconds(2));
    assertThat(blobs.collect()).isEqualTo(new BlobService.Collected(0, 1));
    assertThat(storage.blobs().find(unsent.id())).isEmpty();
    assertThat(storage.blobs().find(sent.id())).isPresent();
    clock.advance(UPLOAD_TTL);
    assertThat(blobs.collect()).isEqualTo(new BlobService.Collected(1, 0));
    assertThat(storage.blobs().find(abandoned.id())).isEmpty();
    assertThat(storage.blobs().find(sent.id())).isPresent();
    assertThat(blobs.usage(alice.id())).isEqualTo(10);
  }

  @Test
  void aBlobAttachedAfterTheCleanerLookedIsKept() {
    Blob blob = complete(alice, bytes(10));
    clock.advance(GRACE.plusSeconds(1));
    Instant idle = clock.instant().minus(GRACE);
    // The cleaner found it idle and unreferenced; then a send attaches it.
    assertThat(storage.blobs().unusedSince(true, idle, 10))
        .extracting(Blob::id)
        .contains(blob.id());
    blobs.attach(alice, List.of(AttachmentRef.of(blob.id())));

    assertThat(storage.blobs().remove(blob.id(), idle)).isFalse();
    assertThat(blobs.collect().blobs()).isZero();
  }

  @Test
  void aBlobAMessageCarriesCannotBeDeleted() {
    Blob blob = complete(alice, bytes(10));
    MessageService.create(storage, clock, Limits.DEFAULTS)
        .send(alice, withFiles(AttachmentRef.of(blob.id())));

    assertThatThrownBy(() -> blobs.delete(alice, blob.id()))
        .isInstanceOf(MailroomException.Conflict.class);
  }

  private static Draft withFiles(AttachmentRef... refs) {
    Draft text = Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of("bob")), "files");
    return new Draft(
        text.mode(),
        text.target(),
        text.contentType(),
        text.language(),
        text.payload(),
        text.priority(),
        text.tags(),
        text.metadata(),
        text.ttl(),
        text.threadId(),
        text.inReplyTo(),
        text.idempotencyKey(),
        List.of(refs));
  }

  private Blob create(Principal owner, long size) {
    return blobs.create(
        owner, "f.bin", "application/octet-stream", size, Optional.of(PART), Optional.empty());
  }

  private Blob complete(Principal owner, byte[] data) {
    Blob upload = create(owner, data.length);
    for (int n = 0; n < upload.partCount(); n++) {
      byte[] part =
          java.util.Arrays.copyOfRange(data, n * PART, Math.min(data.length, (n + 1) * PART));
      put(owner, upload, n, part);
    }
    return blobs.complete(owner, upload.id());
  }

  private Blob put(Principal owner, Blob upload, int n, byte[] part) {
    try (InputStream in = new ByteArrayInputStream(part)) {
      return blobs.putPart(
          owner,
          upload.id(),
          n,
          in,
          List.of(PartChecksum.sha256(HexFormat.of().formatHex(PartCopy.sha256().digest(part)))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }
}
