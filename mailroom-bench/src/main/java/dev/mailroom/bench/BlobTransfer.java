package dev.mailroom.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A file's way through the API: upload in parts from several workers, attach to a direct message,
 * download. Every call checks its status and throws {@link IllegalStateException} with the answer
 * otherwise. The small JSON calls go over the JDK's {@link HttpClient} (HTTP/1.1); the parts and
 * the download go over the {@link Client} chosen:
 *
 * <ul>
 *   <li>{@link Client#JDK}: the same {@code HttpClient}, one connection per request in flight. Each
 *       worker reads its part from the file into a buffer of its own and sends that; a download
 *       streams into the file ({@link HttpResponse.BodyHandlers#ofFile}).
 *   <li>{@link Client#RAW}: one {@link FileHttp} connection per worker, a part sent from the file
 *       with {@code sendfile} and a download written from one direct buffer, so that the client
 *       takes as little as it can of the two cores the server shares with it.
 * </ul>
 *
 * <p>Either way the file is never held whole. Thread-safe: the workers of an upload share the
 * client.
 */
final class BlobTransfer {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final HttpClient http;
  private final int port;
  private final String base;
  private final Client client;

  /** How parts and downloads travel. */
  enum Client {
    JDK,
    RAW;

    static Client parse(String name) {
      return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }

    String label() {
      return this == JDK ? "java.net.http" : "raw socket";
    }
  }

  BlobTransfer(HttpClient http, int port, Client client) {
    this.http = http;
    this.port = port;
    this.base = "http://127.0.0.1:" + port;
    this.client = client;
  }

  /**
   * What one upload took.
   *
   * @param blobId the complete upload's id
   * @param partsNanos from the upload's creation until every part was answered
   * @param completeNanos the completion call alone
   * @param partLatency each part's {@code PUT}, in nanoseconds
   */
  record Upload(String blobId, long partsNanos, long completeNanos, Histogram partLatency) {
    long totalNanos() {
      return partsNanos + completeNanos;
    }
  }

  /**
   * Uploads {@code source} as {@code token}: creates the upload, sends its parts from {@code
   * workers} threads (each takes the next part not yet taken), completes it, and checks that the
   * server's SHA-256 of the blob is the file's.
   */
  Upload upload(String token, BlobSource source, int workers) throws Exception {
    long start = System.nanoTime();
    String created =
        call(
            token,
            "POST",
            "/v1/uploads",
            "{\"size\":"
                + source.size()
                + ",\"name\":\"blob.bin\",\"content_type\":\"application/octet-stream\""
                + ",\"part_size\":"
                + source.partSize()
                + "}",
            201);
    String id = field(created, "id");
    Histogram latency = sendAllParts(token, "/v1/uploads/" + id + "/parts/", source, workers);
    long partsDone = System.nanoTime();
    String complete = call(token, "POST", "/v1/uploads/" + id + "/complete", "", 200);
    long completeDone = System.nanoTime();
    checkSha256(field(complete, "sha256"), source);
    return new Upload(id, partsDone - start, completeDone - partsDone, latency);
  }

  /**
   * Uploads {@code source} to the {@link UploadCeiling} this transfer's port leads to, as {@link
   * #upload} does: the same parts from as many workers over the same client, then the completion,
   * whose SHA-256 is checked.
   *
   * @return from the first part until the completion was answered, in nanoseconds
   */
  long uploadToCeiling(BlobSource source, int workers) throws Exception {
    call("", "POST", "/reset", "", 200);
    long start = System.nanoTime();
    sendAllParts("", "/parts/", source, workers);
    String sha256 = call("", "POST", "/complete", "", 200);
    long took = System.nanoTime() - start;
    checkSha256(sha256, source);
    return took;
  }

  private static void checkSha256(String sha256, BlobSource source) {
    if (!sha256.equals(source.sha256())) {
      throw new IllegalStateException(
          "the server's SHA-256 " + sha256 + " is not the file's " + source.sha256());
    }
  }

  /** Sends every part to {@code partsPath + n} from {@code workers} threads; their latencies. */
  private Histogram sendAllParts(String token, String partsPath, BlobSource source, int workers)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    Histogram latency = new Histogram(TIMEOUT.toNanos(), 3);
    ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    try (FileChannel in = FileChannel.open(source.file(), StandardOpenOption.READ)) {
      for (int w = 0; w < workers; w++) {
        threads.add(
            Thread.ofPlatform()
                .name("upload-" + w)
                .start(() -> sendParts(token, partsPath, source, in, next, latency, failures)));
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("an upload part failed", failures.peek());
    }
    return latency;
  }

  /** One worker: sends parts until none is left or one fails. */
  private void sendParts(
      String token,
      String partsPath,
      BlobSource source,
      FileChannel in,
      AtomicInteger next,
      Histogram latency,
      ConcurrentLinkedQueue<Exception> failures) {
    try {
      if (client == Client.RAW) {
        sendPartsRaw(token, partsPath, source, in, next, latency);
      } else {
        sendPartsJdk(token, partsPath, source, in, next, latency);
      }
    } catch (Exception e) {
      failures.add(e);
      next.set(Integer.MAX_VALUE); // the other workers stop after their current part
    }
  }

  private void sendPartsRaw(
      String token,
      String partsPath,
      BlobSource source,
      FileChannel in,
      AtomicInteger next,
      Histogram latency)
      throws IOException {
    StringBuilder answer = new StringBuilder();
    try (FileHttp connection = new FileHttp(port)) {
      for (int n = next.getAndIncrement(); n < source.parts(); n = next.getAndIncrement()) {
        long t = System.nanoTime();
        int status =
            connection.put(
                partsPath + n,
                token,
                "Content-Type: application/octet-stream\r\nContent-Digest: "
                    + source.partDigests().get(n)
                    + "\r\n",
                in,
                source.partOffset(n),
                source.partLength(n),
                answer);
        record(latency, System.nanoTime() - t);
        if (status != 200) {
          throw new IllegalStateException("part " + n + ": " + status + " " + answer);
        }
      }
    }
  }

  private void sendPartsJdk(
      String token,
      String partsPath,
      BlobSource source,
      FileChannel in,
      AtomicInteger next,
      Histogram latency)
      throws Exception {
    byte[] buffer = new byte[source.partSize()];
    for (int n = next.getAndIncrement(); n < source.parts(); n = next.getAndIncrement()) {
      int length = source.partLength(n);
      ByteBuffer part = ByteBuffer.wrap(buffer, 0, length);
      long position = source.partOffset(n);
      while (part.hasRemaining()) {
        if (in.read(part, position + part.position()) < 0) {
          throw new IOException("the file ended before part " + n);
        }
      }
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + partsPath + n))
              .timeout(TIMEOUT)
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/octet-stream")
              .header("Content-Digest", source.partDigests().get(n))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(buffer, 0, length))
              .build();
      long t = System.nanoTime();
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      long took = System.nanoTime() - t;
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "part " + n + ": " + answer.statusCode() + " " + answer.body());
      }
      record(latency, took);
    }
  }

  private static void record(Histogram latency, long nanos) {
    synchronized (latency) {
      latency.recordValue(Math.min(nanos, latency.getHighestTrackableValue()));
    }
  }

  /** Sends a direct message from {@code token} to {@code target} carrying {@code blobId}. */
  String sendWithAttachment(String token, String target, String blobId) throws Exception {
    String answer =
        call(
            token,
            "POST",
            "/v1/messages",
            "{\"mode\":\"direct\",\"target\":\""
                + target
                + "\",\"attachments\":[{\"blob_id\":\""
                + blobId
                + "\"}]}",
            201);
    return field(answer, "id");
  }

  /**
   * What one download took.
   *
   * @param bytes the bytes received
   * @param receivedNanos from the request until the last byte was written to the file
   * @param fsyncNanos the file's {@code fsync} after that
   */
  record Download(long bytes, long receivedNanos, long fsyncNanos) {}

  /**
   * Downloads attachment 0 of {@code messageId} as {@code token} into {@code file} (replaced), then
   * syncs the file, timing the two apart.
   */
  Download download(String token, String messageId, Path file) throws Exception {
    String path = "/v1/messages/" + messageId + "/attachments/0";
    if (client == Client.RAW) {
      try (FileHttp connection = new FileHttp(port);
          FileChannel out =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE)) {
        long start = System.nanoTime();
        FileHttp.Answer answer = connection.get(path, token, out);
        long received = System.nanoTime();
        if (answer.status() != 200) {
          throw new IllegalStateException("download: " + answer.status());
        }
        out.force(true);
        return new Download(out.size(), received - start, System.nanoTime() - received);
      }
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    long start = System.nanoTime();
    HttpResponse<Path> answer =
        http.send(
            request,
            HttpResponse.BodyHandlers.ofFile(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    long received = System.nanoTime();
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("download: " + answer.statusCode());
    }
    // The handler has closed the file; a sync through a descriptor of its own flushes its pages.
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      out.force(true);
      return new Download(out.size(), received - start, System.nanoTime() - received);
    }
  }

  private String call(String token, String method, String path, String body, int expected)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    return answer.body();
  }

  /** A top-level string field of a JSON answer. */
  private static String field(String json, String name) {
    JsonNode value = JSON.readTree(json).get(name);
    if (value == null || !value.isString()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return value.stringValue();
  }
}
