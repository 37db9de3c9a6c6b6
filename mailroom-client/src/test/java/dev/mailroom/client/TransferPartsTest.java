package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How uploads cut files into parts, checksum them and count progress, and how downloads name their
 * partial file; no server.
 */
class TransferPartsTest {
  private static final int PART = UploadOptions.MIN_PART_SIZE;

  @TempDir Path dir;

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  private static byte[] sha256(byte[] bytes, int from, int to) {
    MessageDigest md = Digests.sha256();
    md.update(bytes, from, to - from);
    return md.digest();
  }

  private static int crc32c(byte[] bytes, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, to - from);
    return (int) crc.getValue();
  }

  /** Everything a body publisher sends, as a subscriber to it would get it. */
  private static byte[] drain(Flow.Publisher<ByteBuffer> publisher) throws InterruptedException {
    List<Byte> got = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    publisher.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer b) {
            while (b.hasRemaining()) {
              got.add(b.get());
            }
          }

          @Override
          public void onError(Throwable t) {
            done.countDown();
          }

          @Override
          public void onComplete() {
            done.countDown();
          }
        });
    done.await();
    byte[] bytes = new byte[got.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = got.get(i);
    }
    return bytes;
  }

  @Test
  void theContentDigestIsTheBase64OfTheSha256BetweenColonsAsRfc9530Has() {
    byte[] empty = Digests.sha256().digest(new byte[0]);
    assertThat(Digests.contentDigest(empty))
        .isEqualTo("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
    byte[] hello = Digests.sha256().digest("hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(Digests.contentDigest(hello))
        .isEqualTo("sha-256=:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=:");
    assertThat(Digests.hex(hello))
        .isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  }

  @Test
  void theCrc32cContentDigestIsTheBase64OfItsFourBytesBigEndianAndItsHexHasEightDigits() {
    byte[] check = "123456789".getBytes(StandardCharsets.UTF_8);
    int crc = Digests.crc32c(check, 0, check.length);
    // The check value of CRC-32C (Castagnoli).
    assertThat(crc).isEqualTo(0xe3069283);
    assertThat(Digests.crc32cContentDigest(crc)).isEqualTo("crc32c=:4waSgw==:");
    assertThat(Digests.hex(crc)).isEqualTo("e3069283");
    assertThat(Digests.crc32cContentDigest(Digests.crc32c(new byte[0], 0, 0)))
        .isEqualTo("crc32c=:AAAAAA==:");
    assertThat(Digests.hex(0)).isEqualTo("00000000");
    byte[] hello = "hello world".getBytes(StandardCharsets.UTF_8);
    assertThat(Digests.crc32cContentDigest(Digests.crc32c(hello, 0, hello.length)))
        .isEqualTo("crc32c=:yZRlqg==:");
  }

  @Test
  void theCrc32cOfAStreamIsTakenOverExactlyTheLengthGiven() throws IOException {
    byte[] bytes = random(200_000);
    assertThat(Digests.crc32c(new ByteArrayInputStream(bytes), 150_000))
        .isEqualTo(crc32c(bytes, 0, 150_000));
    assertThat(Digests.crc32c(new ByteArrayInputStream(bytes, 3, 10), 10))
        .isEqualTo(crc32c(bytes, 3, 13));
    assertThatThrownBy(() -> Digests.crc32c(new ByteArrayInputStream(bytes, 0, 10), 11))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1 bytes early");
  }

  @Test
  void aFileIsCutIntoWholePartsAndALastOneWithTheRest() {
    long size = 2L * PART + 100;
    assertThat(IntStream.range(0, 4).mapToLong(n -> PartSource.offset(n, PART)).toArray())
        .containsExactly(0L, PART, 2L * PART, 3L * PART);
    assertThat(IntStream.range(0, 4).mapToLong(n -> PartSource.length(n, PART, size)).toArray())
        .containsExactly(PART, PART, 100L, 0L);
    assertThat(PartSource.length(0, PART, 0)).isZero();
    assertThat(PartSource.offset(9_999, UploadOptions.MAX_PART_SIZE)).isEqualTo(9_999L << 26);
    assertThat(PartSource.body(0, InputStream::nullInputStream).contentLength()).isZero();
    assertThat(PartSource.body(PART, InputStream::nullInputStream).contentLength()).isEqualTo(PART);
  }

  @Test
  void fileSlicesReadTheirRangeOnlyAndShareOneChannel() throws IOException {
    byte[] bytes = random(1000);
    Path file = Files.write(dir.resolve("f"), bytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FileSlice a = new FileSlice(channel, 100, 300);
      FileSlice b = new FileSlice(channel, 900, 100);
      assertThat(b.read()).isEqualTo(bytes[900] & 0xff);
      assertThat(a.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 100, 400));
      assertThat(b.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 901, 1000));
      assertThat(a.read()).isEqualTo(-1);
      assertThatThrownBy(() -> new FileSlice(channel, 990, 20).readAllBytes())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did it change");
    }
  }

  @Test
  void filePartsComeInTheOrderAskedEachWithItsDigestAndBodyReadFromTheFile() throws Exception {
    byte[] bytes = random(2 * PART + 1234);
    Path file = Files.write(dir.resolve("f"), bytes);
    try (FileParts parts = FileParts.open(file, PART, bytes.length, List.of(2, 0))) {
      PartSource.Worker worker = new PartSource.Worker();
      PartSource.Part last = parts.next(worker).orElseThrow();
      PartSource.Part first = parts.next(worker).orElseThrow();
      assertThat(parts.next(worker)).isEmpty();

      assertThat(last.n()).isEqualTo(2);
      assertThat(last.length()).isEqualTo(1234);
      assertThat(last.crc32c()).isEqualTo(crc32c(bytes, 2 * PART, bytes.length));
      assertThat(first.crc32c()).isEqualTo(crc32c(bytes, 0, PART));
      // The SHA-256, only to match a part an older client stored, is read again from the file.
      assertThat(last.sha256()).isEqualTo(sha256(bytes, 2 * PART, bytes.length));
      assertThat(first.sha256()).isEqualTo(sha256(bytes, 0, PART));
      // Each attempt reads the part afresh from the file.
      assertThat(drain(last.body().get()))
          .isEqualTo(Arrays.copyOfRange(bytes, 2 * PART, bytes.length));
      assertThat(drain(last.body().get()))
          .isEqualTo(Arrays.copyOfRange(bytes, 2 * PART, bytes.length));
      assertThat(last.body().get().contentLength()).isEqualTo(1234);
    }
  }

  @Test
  void streamPartsAreReadInOrderIntoTheWorkersBufferAndDigestTheWholeStream() throws Exception {
    byte[] bytes = random(2 * PART + 10);
    StreamParts parts = new StreamParts(new ByteArrayInputStream(bytes), PART, bytes.length, 3);
    PartSource.Worker one = new PartSource.Worker();
    PartSource.Worker two = new PartSource.Worker();
    PartSource.Part p0 = parts.next(one).orElseThrow();
    PartSource.Part p1 = parts.next(two).orElseThrow();
    assertThat(drain(p0.body().get())).isEqualTo(Arrays.copyOfRange(bytes, 0, PART));
    assertThat(drain(p1.body().get())).isEqualTo(Arrays.copyOfRange(bytes, PART, 2 * PART));
    PartSource.Part p2 = parts.next(one).orElseThrow();
    assertThat(p2.n()).isEqualTo(2);
    assertThat(p2.crc32c()).isEqualTo(crc32c(bytes, 2 * PART, bytes.length));
    assertThat(p2.sha256()).isEqualTo(sha256(bytes, 2 * PART, bytes.length));
    assertThat(p0.crc32c()).isEqualTo(crc32c(bytes, 0, PART));
    // The worker reuses its buffer: one part held per worker, never more.
    assertThat(one.buffer(1)).hasSize(PART);
    assertThat(parts.next(two)).isEmpty();
    assertThat(parts.sha256()).isEqualTo(Digests.hex(sha256(bytes, 0, bytes.length)));

    StreamParts shorter = new StreamParts(new ByteArrayInputStream(new byte[10]), PART, PART, 1);
    assertThatThrownBy(() -> shorter.next(one))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ended after 10 bytes");
  }

  @Test
  void progressIsToldOneUpdateAtATimeAndNeverGoesBack() throws InterruptedException {
    List<long[]> updates = new ArrayList<>();
    int[] inside = {0};
    boolean[] overlapped = {false};
    TransferProgress listener =
        (done, total) -> {
          overlapped[0] |= inside[0]++ > 0;
          updates.add(new long[] {done, total});
          inside[0]--;
        };
    ProgressCounter counter = new ProgressCounter(listener, 100, 10_100);
    counter.start();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int j = 0; j < 25; j++) {
                      counter.add(100);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    counter.reach(50);
    assertThat(overlapped[0]).isFalse();
    assertThat(updates).hasSize(101);
    assertThat(updates.getFirst()).containsExactly(100, 10_100);
    assertThat(updates.getLast()).containsExactly(10_100, 10_100);
    assertThat(updates.stream().mapToLong(u -> u[0]).toArray()).isSorted();
  }

  @Test
  void aDownloadIsWrittenBesideItsTargetUnderDotPart() {
    assertThat(Download.partFile(Path.of("/tmp/out/report.pdf")))
        .isEqualTo(Path.of("/tmp/out/report.pdf.part"));
    assertThatThrownBy(() -> Download.partFile(Path.of("/")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uploadOptionsRefuseSizesTheServerWouldAndGuessTypesWithoutParameters() {
    assertThatThrownBy(() -> UploadOptions.builder().partSize(1024).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UploadOptions.builder().parallelism(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(UploadOptions.DEFAULTS.partSize()).isEmpty();
    assertThat(UploadOptions.DEFAULTS.parallelism()).isEqualTo(4);
    assertThat(Uploads.guessType(dir.resolve("none.qqqzzz"))).isEqualTo(Optional.empty());
  }

  @Test
  void onlyFailuresThatCreatedNothingRepeatTheBeginningOfAnUpload() {
    assertThat(
            Retrier.nothingHappened(
                MailroomClientException.connection("refused", new java.net.ConnectException())))
        .isTrue();
    assertThat(
            Retrier.nothingHappened(
                MailroomClientException.connection("reset", new IOException("reset"))))
        .isFalse();
    assertThat(Retrier.nothingHappened(MailroomClientException.corrupt(200, "x"))).isFalse();
  }
}
