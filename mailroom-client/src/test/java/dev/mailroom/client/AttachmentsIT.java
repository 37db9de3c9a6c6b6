package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.UploadPartView;
import dev.mailroom.protocol.UploadRequest;
import dev.mailroom.protocol.UploadView;
import dev.mailroom.testkit.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads, attachments and downloads through the SDK against a real server: parts in any order and
 * repeated, retried across broken connections, resumed, checked end to end by SHA-256; and the
 * refusals, each of its kind.
 */
class AttachmentsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static final int PART = 256 * 1024;
  private static final UploadOptions SMALL_PARTS = UploadOptions.builder().partSize(PART).build();

  private static AgentCreated aliceAgent;
  private static AgentCreated bobAgent;
  private static MailroomClient alice;
  private static MailroomClient bob;
  private static MailroomClient carol;

  @TempDir Path dir;

  @BeforeAll
  static void agents() {
    aliceAgent = server.newAgent("alice");
    bobAgent = server.newAgent("bob");
    alice = server.client(aliceAgent);
    bob = server.client(bobAgent);
    carol = server.client(server.newAgent("carol"));
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
    carol.close();
  }

  private Path file(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static String sha256(Path file) {
    return Digests.ofFile(file);
  }

  private static byte[] slice(Path file, int n, int partSize) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return Arrays.copyOfRange(all, n * partSize, Math.min(all.length, (n + 1) * partSize));
  }

  /** A client of {@code agent} through {@code proxy}, retrying as {@code retry} says. */
  private static MailroomClient via(TcpProxy proxy, AgentCreated agent, SendRetry retry) {
    return MailroomClient.builder()
        .baseUri(URI.create("http://127.0.0.1:" + proxy.port()))
        .token(agent.token())
        .sendRetry(retry)
        .strict(true)
        .build();
  }

  private static String sendTo(AgentCreated to, UploadView blob) {
    return alice.messages().send(Draft.direct(to.id()).text("see attached").attach(blob)).id();
  }

  @Test
  void partsSentOutOfOrderAndTwiceAreCompletedByAResumeAndDownloadIntact() throws IOException {
    Path file = file("build.log", 4 * PART + 1000, 1);
    UploadView begun = alice.uploads().begin(file, SMALL_PARTS);
    assertThat(begun.parts()).isEqualTo(5);
    assertThat(begun.declaredSha256()).contains(sha256(file));
    assertThat(begun.name()).isEqualTo("build.log");

    alice.uploads().part(begun.id(), 4, slice(file, 4, PART));
    alice.uploads().part(begun.id(), 1, slice(file, 1, PART));
    byte[] second = slice(file, 1, PART);
    UploadPartView stored = alice.uploads().part(begun.id(), 1, second);
    assertThat(stored.n()).isEqualTo(1);
    assertThat(stored.crc32c()).contains(Digests.hex(Digests.crc32c(second, 0, second.length)));
    assertThat(stored.sha256()).isEmpty();
    assertThat(stored.received()).isEqualTo(2);
    assertThat(stored.parts()).isEqualTo(5);
    UploadView again = alice.uploads().get(begun.id());
    assertThat(again.missing()).containsExactly(0, 2, 3);
    assertThat(again.received()).extracting(UploadView.PartView::n).containsExactly(1, 4);

    List<Long> progress = new CopyOnWriteArrayList<>();
    UploadView done =
        alice
            .uploads()
            .resume(begun.id(), file, SMALL_PARTS.withProgress((d, t) -> progress.add(d)));
    assertThat(done.complete()).isTrue();
    assertThat(done.sha256()).contains(sha256(file));
    assertThat(progress.getFirst()).isEqualTo(PART + 1000L);
    assertThat(progress.getLast()).isEqualTo(Files.size(file));
    assertThat(progress).isSorted().hasSize(4);
    assertThat(alice.uploads().resume(begun.id(), file)).isEqualTo(done);

    String id = sendTo(bobAgent, done);
    List<AttachmentView> listed = bob.attachments().list(id);
    assertThat(listed)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.n()).isZero();
              assertThat(a.name()).isEqualTo("build.log");
              assertThat(a.size()).isEqualTo(Files.size(file));
              assertThat(a.sha256()).isEqualTo(sha256(file));
              assertThat(a.url()).isEqualTo("/v1/messages/" + id + "/attachments/0");
            });
    Path target = dir.resolve("down").resolve("copy.log");
    Files.createDirectories(target.getParent());
    AttachmentView got = bob.attachments().download(id, 0, target);
    assertThat(got).isEqualTo(listed.getFirst());
    assertThat(sha256(target)).isEqualTo(sha256(file));
    assertThat(Download.partFile(target)).doesNotExist();
  }

  @Test
  void aSendWithAttachmentsAloneIsPlainTextWithAnEmptyPayloadAndStreamsShowTheFiles()
      throws Exception {
    UploadView a = alice.uploads().upload(file("a.bin", 1000, 2), SMALL_PARTS);
    UploadView b =
        alice
            .uploads()
            .upload(
                file("b.txt", 10, 3), UploadOptions.builder().contentType("text/plain").build());
    List<IncomingMessage> pushed = new CopyOnWriteArrayList<>();
    try (MessageStream stream = bob.stream(pushed::add)) {
      String id =
          alice
              .messages()
              .send(Draft.direct(bobAgent.id()).attach(a).attach(b.id(), "notes.txt"))
              .id();
      MessageView m = bob.messages().get(id);
      assertThat(m.contentType()).isEqualTo(Draft.TEXT);
      assertThat(m.payload().asString()).isEmpty();
      assertThat(m.attachments())
          .extracting(AttachmentView::n, AttachmentView::name, AttachmentView::contentType)
          .containsExactly(
              tuple(0, "a.bin", "application/octet-stream"), tuple(1, "notes.txt", "text/plain"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> pushed.stream().anyMatch(p -> p.id().equals(id)));
      IncomingMessage incoming =
          pushed.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
      assertThat(incoming.attachments()).isEqualTo(m.attachments());
    }
  }

  @Test
  void anEmptyFileGoesUpWithoutPartsAndComesDownEmpty() throws IOException {
    Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
    UploadView done = alice.uploads().upload(empty);
    assertThat(done.size()).isZero();
    assertThat(done.sha256()).contains(sha256(empty));
    String id = sendTo(bobAgent, done);
    Path target = dir.resolve("empty-copy.txt");
    bob.attachments().download(id, 0, target);
    assertThat(target).isEmptyFile();
    assertThat(Download.partFile(target)).doesNotExist();
  }

  @Test
  void aStreamOfKnownSizeGoesUpInPartsAndItsDigestIsCheckedAgainstTheServers() throws Exception {
    Path file = file("stream.bin", 3 * PART + 7, 4);
    List<Long> progress = new CopyOnWriteArrayList<>();
    UploadView done;
    try (InputStream in = Files.newInputStream(file)) {
      done =
          alice
              .uploads()
              .upload(
                  in,
                  Files.size(file),
                  "stream.bin",
                  SMALL_PARTS.withProgress((d, t) -> progress.add(d)));
    }
    assertThat(done.sha256()).contains(sha256(file));
    assertThat(done.declaredSha256()).isEmpty();
    assertThat(progress).startsWith(0L).endsWith(Files.size(file)).isSorted();

    Path shorter = file("short.bin", 1000, 5);
    try (InputStream in = Files.newInputStream(shorter)) {
      assertThatThrownBy(() -> alice.uploads().upload(in, 5000, "short.bin", SMALL_PARTS))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("ended after 1000 bytes");
    }
  }

  @Test
  void partsCutOffByABrokenConnectionAreSentAgainAndCountedOnce() throws IOException {
    Path file = file("cut.bin", 32 * PART, 6);
    List<Long> progress = new CopyOnWriteArrayList<>();
    AtomicBoolean cut = new AtomicBoolean();
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", server.baseUri().getPort());
        MailroomClient viaProxy = via(proxy, aliceAgent, SendRetry.DEFAULT)) {
      UploadOptions options =
          SMALL_PARTS.withProgress(
              (done, total) -> {
                progress.add(done);
                if (done >= 4L * PART && cut.compareAndSet(false, true)) {
                  // Hold the parts in flight, then break their connections.
                  proxy.blackhole(true);
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            sleep(Duration.ofMillis(300));
                            proxy.reset();
                            proxy.blackhole(false);
                          });
                }
              });
      UploadView done = viaProxy.uploads().upload(file, options);
      assertThat(done.sha256()).contains(sha256(file));
    }
    assertThat(cut).isTrue();
    assertThat(progress).isSorted().hasSize(33).endsWith(Files.size(file));
  }

  @Test
  void anUploadThatStopsNamesItselfAndAResumeSendsOnlyTheMissingParts() throws IOException {
    Path file = file("resume.bin", 16 * PART, 7);
    SendRetry impatient =
        new SendRetry(
            Duration.ofMillis(300), Backoff.of(Duration.ofMillis(50), Duration.ofMillis(100)));
    MailroomClientException stopped;
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", server.baseUri().getPort());
        MailroomClient viaProxy = via(proxy, aliceAgent, impatient)) {
      UploadOptions options =
          SMALL_PARTS.withProgress(
              (done, total) -> {
                if (done >= 4L * PART) {
                  proxy.close();
                }
              });
      stopped =
          assertThrows(
              MailroomClientException.class, () -> viaProxy.uploads().upload(file, options));
    }
    assertThat(stopped.kind()).isEqualTo(MailroomClientException.Kind.CONNECTION_FAILED);
    Matcher m = Pattern.compile("upload ([0-9a-f]+) of ").matcher(stopped.getMessage());
    assertThat(m.find()).as(stopped.getMessage()).isTrue();
    String uploadId = m.group(1);
    UploadView half = alice.uploads().get(uploadId);
    assertThat(half.state()).isEqualTo("open");
    assertThat(half.missing()).isNotEmpty().hasSizeLessThan(16);

    List<Long> progress = new CopyOnWriteArrayList<>();
    UploadView done =
        alice.uploads().resume(uploadId, file, SMALL_PARTS.withProgress((d, t) -> progress.add(d)));
    assertThat(done.sha256()).contains(sha256(file));
    assertThat(progress.getFirst()).isEqualTo((16L - half.missing().size()) * PART);
    assertThat(progress).hasSize(half.missing().size() + 1);

    assertThat(alice.uploads().resume(uploadId, file)).isEqualTo(done);

    Path other = file("other.bin", 16 * PART, 8);
    UploadView fresh = alice.uploads().begin(file, SMALL_PARTS);
    assertThatThrownBy(() -> alice.uploads().resume(fresh.id(), other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not the file of upload " + fresh.id());
    alice.uploads().delete(fresh.id());
  }

  @Test
  void aDownloadResumesFromThePartialFileAndRefusesBytesThatAreNotTheAttachments()
      throws IOException {
    Path file = file("report.bin", 3 * PART, 9);
    byte[] bytes = Files.readAllBytes(file);
    String id = sendTo(bobAgent, alice.uploads().upload(file, SMALL_PARTS));
    Path target = dir.resolve("report-copy.bin");
    Path part = Download.partFile(target);

    Files.write(part, Arrays.copyOf(bytes, 300_000));
    List<Long> progress = new CopyOnWriteArrayList<>();
    bob.attachments().download(id, 0, target, (d, t) -> progress.add(d));
    assertThat(progress.getFirst()).isEqualTo(300_000L);
    assertThat(progress.getLast()).isEqualTo(bytes.length);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(part).doesNotExist();

    byte[] wrong = Arrays.copyOf(bytes, 300_000);
    wrong[1234] ^= 1;
    Files.write(part, wrong);
    Files.delete(target);
    assertThatThrownBy(() -> bob.attachments().download(id, 0, target))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.SERVER_ERROR);
              assertThat(e.getMessage()).contains("not the attachment's");
            });
    assertThat(part).doesNotExist();
    assertThat(target).doesNotExist();
    bob.attachments().download(id, 0, target);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
  }

  @Test
  void aDownloadCutOffMidwayResumesWithARange() throws IOException {
    Path file = file("big.bin", 64 * PART, 10);
    String id = sendTo(bobAgent, alice.uploads().upload(file));
    Path target = dir.resolve("big-copy.bin");
    AtomicBoolean cut = new AtomicBoolean();
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", server.baseUri().getPort());
        MailroomClient viaProxy = via(proxy, bobAgent, SendRetry.DEFAULT)) {
      viaProxy
          .attachments()
          .download(
              id,
              0,
              target,
              (done, total) -> {
                if (done >= 2L * PART && done < total && cut.compareAndSet(false, true)) {
                  proxy.reset();
                }
              });
    }
    assertThat(cut).isTrue();
    assertThat(sha256(target)).isEqualTo(sha256(file));
  }

  @Test
  void openStreamsAnAttachmentOrABoundedExcerptOfIt() throws IOException {
    Path file = file("excerpt.bin", PART + 10, 11);
    byte[] bytes = Files.readAllBytes(file);
    String id = sendTo(bobAgent, alice.uploads().upload(file, SMALL_PARTS));
    try (InputStream in = bob.attachments().open(id, 0)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    try (InputStream in = bob.attachments().open(id, 0, 1000, 50)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 1050));
    }
    try (InputStream in = bob.attachments().open(id, 0, PART, 1_000_000)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, PART, PART + 10));
    }
    assertThatThrownBy(() -> bob.attachments().open(id, 0, PART + 10, 1))
        .isInstanceOfSatisfying(
            MailroomClientException.class, e -> assertThat(e.status()).isEqualTo(416));
    assertThatThrownBy(() -> bob.attachments().open(id, 1))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.NOT_FOUND));
  }

  @Test
  void bytesThatAreNotTheOnesDeclaredAreRefusedAsBadRequests() throws IOException {
    Path file = file("declared.bin", PART + 1, 12);
    UploadView wrongSha =
        alice
            .uploads()
            .begin(
                new UploadRequest(
                    Files.size(file),
                    "declared.bin",
                    Optional.empty(),
                    Optional.of("0".repeat(64)),
                    Optional.of(PART)));
    alice.uploads().part(wrongSha.id(), 0, slice(file, 0, PART));
    alice.uploads().part(wrongSha.id(), 1, slice(file, 1, PART));
    assertThatThrownBy(() -> alice.uploads().complete(wrongSha.id()))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.BAD_REQUEST);
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.problem().orElseThrow().type()).endsWith("/problems/checksum-mismatch");
            });
    assertThat(alice.uploads().get(wrongSha.id()).state()).isEqualTo("open");

    UploadView fresh = alice.uploads().begin(file, SMALL_PARTS);
    for (String otherDigest :
        List.of(
            Digests.contentDigest(Digests.sha256().digest(new byte[] {1})),
            Digests.crc32cContentDigest(Digests.crc32c(new byte[] {1}, 0, 1)))) {
      assertThatThrownBy(
              () -> alice.uploads().part(fresh.id(), 0, slice(file, 0, PART), otherDigest))
          .isInstanceOfSatisfying(
              MailroomClientException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.BAD_REQUEST);
                assertThat(e.status()).isEqualTo(422);
                assertThat(e.getMessage()).contains("parts[0]");
              });
    }
    assertThatThrownBy(() -> alice.uploads().part(fresh.id(), 0, slice(file, 0, PART), "md5=x"))
        .isInstanceOfSatisfying(
            MailroomClientException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThat(alice.uploads().get(fresh.id()).missing()).containsExactly(0, 1);
    alice.uploads().delete(fresh.id());
    assertThatThrownBy(() -> alice.uploads().get(fresh.id()))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.NOT_FOUND));
  }

  @Test
  void otherAgentsUploadsBlobsAndMessagesAreForbiddenAndIncompleteOnesConflict()
      throws IOException {
    Path file = file("mine.bin", PART + 1, 13);
    UploadView open = alice.uploads().begin(file, SMALL_PARTS);
    byte[] first = slice(file, 0, PART);
    assertKind(
        () -> bob.uploads().part(open.id(), 0, first), MailroomClientException.Kind.FORBIDDEN);
    assertKind(() -> bob.uploads().complete(open.id()), MailroomClientException.Kind.FORBIDDEN);
    assertKind(() -> bob.uploads().delete(open.id()), MailroomClientException.Kind.FORBIDDEN);
    assertKind(
        () -> alice.messages().send(Draft.direct(bobAgent.id()).attach(open.id())),
        MailroomClientException.Kind.CONFLICT);
    assertKind(() -> alice.uploads().complete(open.id()), MailroomClientException.Kind.CONFLICT);

    UploadView blob = alice.uploads().resume(open.id(), file);
    assertKind(
        () -> bob.messages().send(Draft.direct(aliceAgent.id()).attach(blob)),
        MailroomClientException.Kind.FORBIDDEN);
    assertKind(
        () -> alice.messages().send(Draft.direct(bobAgent.id()).attach("0".repeat(32))),
        MailroomClientException.Kind.NOT_FOUND);
    String id = sendTo(bobAgent, blob);
    assertKind(
        () -> carol.attachments().download(id, 0, dir.resolve("stolen")),
        MailroomClientException.Kind.FORBIDDEN);
    assertKind(() -> carol.attachments().open(id, 0), MailroomClientException.Kind.FORBIDDEN);
    assertThat(dir.resolve("stolen")).doesNotExist();
    assertKind(() -> alice.uploads().delete(blob.id()), MailroomClientException.Kind.CONFLICT);

    try (MailroomClient observer = server.client(server.newAgent("watcher", List.of("observer")))) {
      assertKind(() -> observer.uploads().upload(file), MailroomClientException.Kind.FORBIDDEN);
    }
  }

  private static void assertKind(Runnable call, MailroomClientException.Kind kind) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            MailroomClientException.class, e -> assertThat(e.kind()).as("%s", e).isEqualTo(kind));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
