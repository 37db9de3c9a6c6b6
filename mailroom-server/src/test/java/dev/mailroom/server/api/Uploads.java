package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Uploads through the raw API, for the tests of uploads and attachments. */
final class Uploads {
  private Uploads() {}

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  /** The {@code Content-Digest} header value of these bytes (RFC 9530). */
  static String contentDigest(byte[] data) {
    return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(data)) + ":";
  }

  /** Begins an upload of {@code data.length} bytes and answers its id. */
  static String begin(ApiClient as, int size, int partSize) {
    Response r =
        as.post(
            "/v1/uploads",
            Json.write(Json.object("size", size, "name", "data.bin", "part_size", partSize)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.text(r.json(), "id");
  }

  /** Stores part {@code n} of {@code data} cut in parts of {@code partSize} bytes. */
  static Response putPart(ApiClient as, String upload, byte[] data, int partSize, int n) {
    byte[] part = part(data, partSize, n);
    return as.requestBytes(
        "PUT",
        "/v1/uploads/" + upload + "/parts/" + n,
        part,
        "Content-Type",
        "application/octet-stream",
        "Content-Digest",
        contentDigest(part));
  }

  static byte[] part(byte[] data, int partSize, int n) {
    return Arrays.copyOfRange(data, n * partSize, Math.min(data.length, (n + 1) * partSize));
  }

  /** A complete blob of these bytes, in parts of {@code partSize}; answers its id. */
  static String blob(ApiClient as, byte[] data, int partSize) {
    String id = begin(as, data.length, partSize);
    int parts = (data.length + partSize - 1) / partSize;
    for (int n = 0; n < parts; n++) {
      Response r = putPart(as, id, data, partSize, n);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
    Response done = as.post("/v1/uploads/" + id + "/complete", null);
    assertThat(done.status()).as("%s", done).isEqualTo(200);
    return id;
  }
}
