package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Uploads in parts, attachments on messages, downloads with ranges, the refusals of each, and the
 * removal of blobs nothing needs any more. Runs on SQLite and (with the http-on-redis execution) on
 * Redis.
 */
class AttachmentsIT {
  private static final MutableClock CLOCK = MutableClock.of(Instant.now());
  private static final int PART = BlobLimits.MIN_PART_SIZE;
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static final Duration UPLOAD_TTL = Duration.ofHours(1);
  private static final int INBOX = 3;

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.clock(CLOCK)
                  .retention(
                      new RetentionPolicy(
                          INBOX,
                          RetentionPolicy.DEFAULTS.readStateRetention(),
                          RetentionPolicy.DEFAULTS.dedupeWindow(),
                          Duration.ofMillis(100)))
                  .blobs(new BlobLimits(20 * PART, 40L * PART, 4, PART, UPLOAD_TTL, GRACE)));

  private static Agent alice;
  private static Agent bob;
  private static Agent carol;
  private final Random random = new Random(7);

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
    bob = api.newAgent("bob");
    carol = api.newAgent("carol");
  }

  @Test
  void aFileUploadedInPartsOutOfOrderIsAttachedAndDownloadedWhole() {
    byte[] data = bytes(3 * PART + 1_000);
    String id = Uploads.begin(api.as(alice), data.length, PART);
    for (int n : new int[] {2, 0, 3}) {
      assertThat(Uploads.putPart(api.as(alice), id, data, PART, n).status()).isEqualTo(200);
    }
    // A retried part changes nothing.
    assertThat(Uploads.putPart(api.as(alice), id, data, PART, 0).status()).isEqualTo(200);
    JsonNode status = api.as(alice).get("/v1/uploads/" + id).json();
    assertThat(status.get("state").asString()).isEqualTo("open");
    assertThat(status.get("parts").asInt()).isEqualTo(4);
    assertThat(Json.array(status, "missing")).extracting(JsonNode::asInt).containsExactly(1);
    assertThat(Json.array(status, "received"))
        .extracting(p -> p.get("n").asInt())
        .containsExactly(0, 2, 3);

    Response early = api.as(alice).post("/v1/uploads/" + id + "/complete", null);
    assertThat(early.status()).as("%s", early).isEqualTo(409);
    assertThat(early.body()).contains("[1]");
    assertThat(Uploads.putPart(api.as(alice), id, data, PART, 1).status()).isEqualTo(200);
    JsonNode done = api.as(alice).post("/v1/uploads/" + id + "/complete", null).json();
    assertThat(done.get("state").asString()).isEqualTo("complete");
    assertThat(done.get("sha256").asString()).isEqualTo(Uploads.sha256Hex(data));

    JsonNode sent =
        api.as(alice)
            .sendOk(
                Json.object(
                    "mode",
                    "direct",
                    "target",
                    bob.id(),
                    "attachments",
                    List.of(
                        Json.object(
                            "blob_id", id, "name", "run.log", "content_type", "text/plain"))));
    String message = Json.text(sent, "id");
    JsonNode read = api.as(bob).message(message);
    assertThat(read.get("payload").asString()).isEmpty();
    JsonNode attachment = Json.array(read, "attachments").getFirst();
    assertThat(attachment.get("name").asString()).isEqualTo("run.log");
    assertThat(attachment.get("size").asLong()).isEqualTo(data.length);
    assertThat(attachment.get("sha256").asString()).isEqualTo(Uploads.sha256Hex(data));
    String url = attachment.get("url").asString();
    assertThat(url).isEqualTo("/v1/messages/" + message + "/attachments/0");

    HttpResponse<byte[]> whole = api.as(bob).download("GET", url);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(data);
    String etag = "\"" + Uploads.sha256Hex(data) + "\"";
    assertThat(whole.headers().firstValue("ETag")).contains(etag);
    assertThat(whole.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(whole.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(whole.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"run.log\"; filename*=UTF-8''run.log");

    HttpResponse<byte[]> range = api.as(bob).download("GET", url, "Range", "bytes=100-199");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    assertThat(range.headers().firstValue("Content-Range"))
        .contains("bytes 100-199/" + data.length);
    HttpResponse<byte[]> tail = api.as(bob).download("GET", url, "Range", "bytes=-10");
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
    HttpResponse<byte[]> resumed =
        api.as(bob).download("GET", url, "Range", "bytes=" + PART + "-", "If-Range", etag);
    assertThat(resumed.statusCode()).isEqualTo(206);
    assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(data, PART, data.length));
    HttpResponse<byte[]> changed =
        api.as(bob).download("GET", url, "Range", "bytes=10-", "If-Range", "\"other\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo(data);
    HttpResponse<byte[]> unchanged = api.as(bob).download("GET", url, "If-None-Match", etag);
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.headers().firstValue("Content-Type")).isEmpty();
    HttpResponse<byte[]> outside =
        api.as(bob).download("GET", url, "Range", "bytes=" + data.length + "-");
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */" + data.length);
    HttpResponse<byte[]> head = api.as(bob).download("HEAD", url);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
    assertThat(head.body()).isEmpty();

    assertThat(api.as(carol).download("GET", url).statusCode()).isEqualTo(403);
    assertThat(
            api.as(bob).download("GET", "/v1/messages/" + message + "/attachments/1").statusCode())
        .isEqualTo(404);
  }

  @Test
  void partsThatAreNotWhatTheyClaimAreRefusedAndNotRecorded() {
    byte[] data = bytes(2 * PART);
    String id = Uploads.begin(api.as(alice), data.length, PART);
    byte[] part = Uploads.part(data, PART, 1);

    Response wrong =
        api.as(alice)
            .requestBytes(
                "PUT",
                "/v1/uploads/" + id + "/parts/1",
                part,
                "Content-Digest",
                Uploads.contentDigest(bytes(10)));
    assertThat(wrong.status()).as("%s", wrong).isEqualTo(422);
    assertThat(Json.text(wrong.json(), "type")).isEqualTo("/problems/checksum-mismatch");
    assertThat(Json.array(wrong.json(), "errors").getFirst().get("field").asString())
        .isEqualTo("parts[1]");

    Response tooLong =
        api.as(alice)
            .requestBytes(
                "PUT",
                "/v1/uploads/" + id + "/parts/1",
                Arrays.copyOf(part, PART + 1),
                "Content-Digest",
                Uploads.contentDigest(Arrays.copyOf(part, PART + 1)));
    assertThat(tooLong.status()).as("%s", tooLong).isEqualTo(413);
    byte[] shorter = Arrays.copyOf(part, 10);
    Response tooShort =
        api.as(alice)
            .requestBytes(
                "PUT",
                "/v1/uploads/" + id + "/parts/1",
                shorter,
                "Content-Digest",
                Uploads.contentDigest(shorter));
    assertThat(tooShort.status()).as("%s", tooShort).isEqualTo(400);
    Response noDigest = api.as(alice).requestBytes("PUT", "/v1/uploads/" + id + "/parts/1", part);
    assertThat(noDigest.status()).isEqualTo(400);
    assertThat(noDigest.body()).contains("Content-Digest");
    assertThat(Uploads.putPart(api.as(alice), id, data, PART, 2).status()).isEqualTo(404);
    assertThat(Uploads.putPart(api.as(bob), id, data, PART, 0).status()).isEqualTo(403);
    assertThat(Json.array(api.as(alice).get("/v1/uploads/" + id).json(), "received").isEmpty())
        .isTrue();
    assertThat(api.as(alice).get("/v1/uploads/0123456789abcdef0123456789abcdef").status())
        .isEqualTo(404);
    assertThat(api.as(alice).get("/v1/uploads/not-an-id").status()).isEqualTo(400);
  }

  @Test
  void aPartMayCarryItsCrc32cInsteadOfOrBesideItsSha256() {
    byte[] data = bytes(2 * PART);
    String id = Uploads.begin(api.as(alice), data.length, PART);
    byte[] part0 = Uploads.part(data, PART, 0);
    byte[] part1 = Uploads.part(data, PART, 1);
    String crc0 = crc32cDigest(part0);

    Response byCrc =
        api.as(alice)
            .requestBytes("PUT", "/v1/uploads/" + id + "/parts/0", part0, "Content-Digest", crc0);
    assertThat(byCrc.status()).as("%s", byCrc).isEqualTo(200);
    assertThat(Json.text(byCrc.json(), "crc32c")).hasSize(8);
    assertThat(byCrc.json().has("sha256")).isFalse();

    Response wrongCrc =
        api.as(alice)
            .requestBytes(
                "PUT",
                "/v1/uploads/" + id + "/parts/1",
                part1,
                "Content-Digest",
                Uploads.contentDigest(part1) + ", " + crc0);
    assertThat(wrongCrc.status()).as("%s", wrongCrc).isEqualTo(422);
    assertThat(Json.array(wrongCrc.json(), "errors").getFirst().get("field").asString())
        .isEqualTo("parts[1]");
    for (String malformed :
        java.util.List.of(
            "crc32c=:AAAA:",
            "crc32c=abc",
            "crc32c=:AAAAAA==:, crc32c=:AAAAAA==:",
            "md5=:AAAAAAAAAAAAAAAAAAAAAA==:")) {
      Response refused =
          api.as(alice)
              .requestBytes(
                  "PUT", "/v1/uploads/" + id + "/parts/1", part1, "Content-Digest", malformed);
      assertThat(refused.status()).as("%s: %s", malformed, refused).isEqualTo(400);
      assertThat(Json.array(refused.json(), "errors").getFirst().get("field").asString())
          .isEqualTo("Content-Digest");
    }

    Response both =
        api.as(alice)
            .requestBytes(
                "PUT",
                "/v1/uploads/" + id + "/parts/1",
                part1,
                "Content-Digest",
                crc32cDigest(part1) + ", " + Uploads.contentDigest(part1));
    assertThat(both.status()).as("%s", both).isEqualTo(200);
    assertThat(Json.text(both.json(), "sha256")).isEqualTo(Uploads.sha256Hex(part1));
    JsonNode upload = api.as(alice).post("/v1/uploads/" + id + "/complete", null).json();
    assertThat(Json.text(upload, "sha256")).isEqualTo(Uploads.sha256Hex(data));
  }

  private static String crc32cDigest(byte[] part) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(part);
    int v = (int) crc.getValue();
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    return "crc32c=:" + java.util.Base64.getEncoder().encodeToString(b) + ":";
  }

  /**
   * A part refused before its body is read (here: no Content-Digest) still gets its answer, again
   * and again on one kept-alive connection: the server reads the body it refuses, instead of
   * closing a connection with unread bytes, which the kernel answers with a reset that can swallow
   * the answer.
   */
  @Test
  void aPartRefusedBeforeItsBodyIsReadStillGetsItsAnswer() {
    Agent sender = api.newAgent("drainer");
    String id = Uploads.begin(api.as(sender), 4 * PART, PART);
    byte[] large = bytes(1 << 20);
    for (int i = 0; i < 20; i++) {
      Response refused =
          api.as(sender).requestBytes("PUT", "/v1/uploads/" + id + "/parts/0", large);
      assertThat(refused.status()).as("%s", refused).isEqualTo(400);
      assertThat(refused.body()).contains("Content-Digest");
    }
  }

  @Test
  void aDeclaredChecksumIsCheckedOnCompletion() {
    byte[] data = bytes(PART + 5);
    Response begun =
        api.as(alice)
            .post(
                "/v1/uploads",
                Json.write(
                    Json.object(
                        "size",
                        data.length,
                        "name",
                        "x.bin",
                        "part_size",
                        PART,
                        "sha256",
                        Uploads.sha256Hex(bytes(3)))));
    String id = Json.text(begun.json(), "id");
    Uploads.putPart(api.as(alice), id, data, PART, 0);
    Uploads.putPart(api.as(alice), id, data, PART, 1);

    Response done = api.as(alice).post("/v1/uploads/" + id + "/complete", null);
    assertThat(done.status()).as("%s", done).isEqualTo(422);
    assertThat(Json.array(done.json(), "errors").getFirst().get("field").asString())
        .isEqualTo("sha256");
  }

  @Test
  void limitsAreRefusedWithTheirStatus() {
    Response big =
        api.as(carol)
            .post("/v1/uploads", Json.write(Json.object("size", 20 * PART + 1, "name", "big")));
    assertThat(big.status()).as("%s", big).isEqualTo(413);
    String first = Uploads.begin(api.as(carol), 20 * PART, PART);
    String second = Uploads.begin(api.as(carol), 20 * PART, PART);
    Response overQuota =
        api.as(carol).post("/v1/uploads", Json.write(Json.object("size", 1, "name", "one")));
    assertThat(overQuota.status()).as("%s", overQuota).isEqualTo(413);
    assertThat(overQuota.body()).contains("quota");
    JsonNode usage = api.as(carol).get("/v1/agents/" + carol.id() + "/usage").json();
    assertThat(usage.get("blob_bytes").asLong()).isEqualTo(40L * PART);
    assertThat(api.as(carol).delete("/v1/uploads/" + first).status()).isEqualTo(204);
    assertThat(api.as(carol).delete("/v1/uploads/" + second).status()).isEqualTo(204);
    assertThat(
            api.as(carol)
                .get("/v1/agents/" + carol.id() + "/usage")
                .json()
                .get("blob_bytes")
                .asLong())
        .isZero();

    Response badName =
        api.as(carol)
            .post("/v1/uploads", Json.write(Json.object("size", 1, "name", "../etc/passwd")));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body()).contains("name");
    Response badPart =
        api.as(carol)
            .post("/v1/uploads", Json.write(Json.object("size", 1, "name", "a", "part_size", 10)));
    assertThat(badPart.status()).isEqualTo(400);
    assertThat(badPart.body()).contains("part_size");
  }

  @Test
  void aSendNamesOnlyCompleteBlobsOfItsSender() {
    String open = Uploads.begin(api.as(alice), 10, PART);
    String bobs = Uploads.blob(api.as(bob), bytes(10), PART);
    String mine = Uploads.blob(api.as(alice), bytes(10), PART);

    assertThat(api.as(alice).send(withFiles(open)).status()).isEqualTo(409);
    assertThat(api.as(alice).send(withFiles(bobs)).status()).isEqualTo(403);
    assertThat(api.as(alice).send(withFiles("0123456789abcdef0123456789abcdef")).status())
        .isEqualTo(404);
    Response tooMany = api.as(alice).send(withFiles(mine, mine, mine, mine, mine));
    assertThat(tooMany.status()).as("%s", tooMany).isEqualTo(400);
    Response malformed = api.as(alice).send(withFiles("nope"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).contains("attachments[0].blob_id");
    assertThat(api.as(alice).send(withFiles(mine, mine)).status()).isEqualTo(201);
    assertThat(api.as(alice).delete("/v1/uploads/" + mine).status()).isEqualTo(409);
  }

  @Test
  void aBlobGoesWithTheLastMessageThatCarriesIt() {
    String blob = Uploads.blob(api.as(alice), bytes(100), PART);
    Map<String, Object> send = withFiles(blob);
    send.put("ttl_seconds", 60);
    api.as(alice).sendOk(send);
    // Alive after the first expires and its grace has passed.
    send.put("ttl_seconds", 120 + GRACE.toSeconds());
    api.as(alice).sendOk(send);

    CLOCK.advance(Duration.ofSeconds(61).plus(GRACE));
    pause();
    assertThat(api.as(alice).get("/v1/uploads/" + blob).status())
        .as("one message still carries it")
        .isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(60).plus(GRACE));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.as(alice).get("/v1/uploads/" + blob).status() == 404);
  }

  @Test
  void aBlobDroppedWithItsMessageFromABoundedInboxGoesWhenTheMessageDoes() {
    Agent dave = api.newAgent("dave");
    String blob = Uploads.blob(api.as(alice), bytes(100), PART);
    Map<String, Object> send = withFiles(blob);
    send.put("target", dave.id());
    String first = Json.text(api.as(alice).sendOk(send), "id");
    for (int i = 0; i < INBOX; i++) {
      api.as(alice)
          .sendOk(
              Json.object(
                  "mode",
                  "direct",
                  "target",
                  dave.id(),
                  "content_type",
                  "text/plain",
                  "payload",
                  "later " + i));
    }
    CLOCK.advance(GRACE.plusSeconds(1));
    pause();

    // SQLite removes a message no mailbox holds at once, Redis at its expiry: either way the blob
    // stays exactly while the message can still be read.
    boolean stored = api.admin().get("/v1/messages/" + first).status() == 200;
    if (stored) {
      assertThat(api.as(alice).get("/v1/uploads/" + blob).status()).isEqualTo(200);
    } else {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.as(alice).get("/v1/uploads/" + blob).status() == 404);
    }
  }

  @Test
  void aBlobOfATopicsHistoryGoesWhenTheTopicIsPurged() {
    String topic = "files.t" + random.nextInt(1_000_000);
    String blob = Uploads.blob(api.as(alice), bytes(100), PART);
    Map<String, Object> send = withFiles(blob);
    send.put("mode", "topic");
    send.put("target", topic);
    String message = Json.text(api.as(alice).sendOk(send), "id");
    assertThat(api.admin().delete("/v1/topics/" + topic).status()).isEqualTo(204);
    CLOCK.advance(GRACE.plusSeconds(1));
    pause();

    // Nobody subscribed, so no inbox keeps a copy. SQLite removes the message with the topic's
    // history, Redis at its expiry: the blob stays exactly while the message is stored.
    boolean stored = api.admin().get("/v1/messages/" + message).status() == 200;
    if (stored) {
      assertThat(api.as(alice).get("/v1/uploads/" + blob).status()).isEqualTo(200);
    } else {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.as(alice).get("/v1/uploads/" + blob).status() == 404);
    }
  }

  @Test
  void anAbandonedUploadAndABlobNeverSentAreRemoved() {
    String abandoned = Uploads.begin(api.as(alice), 2 * PART, PART);
    Uploads.putPart(api.as(alice), abandoned, bytes(2 * PART), PART, 0);
    // As if the node stopped between completing the upload and storing the message.
    String orphan = Uploads.blob(api.as(alice), bytes(50), PART);

    CLOCK.advance(GRACE.plusSeconds(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.as(alice).get("/v1/uploads/" + orphan).status() == 404);
    assertThat(api.as(alice).get("/v1/uploads/" + abandoned).status()).isEqualTo(200);
    CLOCK.advance(UPLOAD_TTL);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.as(alice).get("/v1/uploads/" + abandoned).status() == 404);
  }

  @Test
  void hostileFileNamesAreServedSafely() {
    String blob =
        Uploads.blob(
            api.as(alice), "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), PART);
    Map<String, Object> send = withFiles(blob);
    send.put(
        "attachments",
        List.of(
            Json.object(
                "blob_id",
                blob,
                "name",
                "a\"; filename=evil.html ü.html",
                "content_type",
                "text/html")));
    String message = Json.text(api.as(alice).sendOk(send), "id");

    HttpResponse<byte[]> r =
        api.as(bob).download("GET", "/v1/messages/" + message + "/attachments/0");
    assertThat(r.headers().firstValue("Content-Disposition"))
        .contains(
            "attachment; filename=\"a_; filename=evil.html _.html\";"
                + " filename*=UTF-8''a%22%3B%20filename%3Devil.html%20%C3%BC.html");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .contains("default-src 'none'; sandbox");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void uploadsAndTheirBytesAreCounted() {
    double uploads = metric("mailroom_blobs_uploads_total");
    double received = metric("mailroom_blobs_received_bytes_total");
    double served = metric("mailroom_blobs_served_bytes_total");
    byte[] data = bytes(PART + 1);
    String blob = Uploads.blob(api.as(alice), data, PART);
    String message = Json.text(api.as(alice).sendOk(withFiles(blob)), "id");
    api.as(bob).download("GET", "/v1/messages/" + message + "/attachments/0");

    assertThat(metric("mailroom_blobs_uploads_total")).isEqualTo(uploads + 1);
    assertThat(metric("mailroom_blobs_received_bytes_total")).isEqualTo(received + data.length);
    assertThat(metric("mailroom_blobs_served_bytes_total")).isEqualTo(served + data.length);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric("mailroom_blobs_agent_stored_bytes{agent=\"" + alice.id() + "\"}") > 0);
    assertThat(metric("mailroom_blobs_stored_bytes")).isPositive();
  }

  /** The value of one series of {@code /metrics}, 0 when absent. */
  private static double metric(String series) {
    for (String line : api.admin().get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).strip());
      }
    }
    return 0;
  }

  /** Lets the cleaners (every 100 ms) run a few times. */
  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, Object> withFiles(String... blobs) {
    Map<String, Object> send = Json.object("mode", "direct", "target", bob.id());
    send.put("attachments", Arrays.stream(blobs).map(b -> Json.object("blob_id", b)).toList());
    return send;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
