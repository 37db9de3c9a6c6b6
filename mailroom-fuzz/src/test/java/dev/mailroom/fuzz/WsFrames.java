package dev.mailroom.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * WebSocket frames (RFC 6455) for the stream fuzzer: the text frames a client sends on {@code
 * /v1/stream}, sorted by what the server must do with them, and raw frame bytes, well-formed or
 * broken, for a socket after a handshake.
 */
final class WsFrames {
  private WsFrames() {}

  /** What the server must do with a frame. */
  enum Expect {
    /** Take it: no {@code error} event, the stream stays open. */
    ACCEPTED,
    /** Refuse it with an {@code error} event; the stream stays open. */
    REFUSED,
    /** Either; a close with a fitting code (too big, unsupported data) is fine too. */
    EITHER
  }

  /** A frame to send through a WebSocket client: text, or binary when {@code binary} is set. */
  record Frame(Expect expect, String text, byte @Nullable [] binary, String description) {
    @Override
    public String toString() {
      return description
          + " ("
          + expect
          + "): "
          + (binary != null
              ? binary.length + " binary bytes"
              : Printable.bytes(text.getBytes(StandardCharsets.UTF_8), 300));
    }
  }

  /** A frame; the acks name {@code ackable} ids, or {@code decoys} beside an invalid one. */
  static Frame pick(RandomGenerator r, List<String> ackable, List<String> decoys) {
    String a = JsonMutations.pick(ackable, r);
    String decoy = JsonMutations.pick(decoys, r);
    String bad =
        JsonMutations.pick(
            List.of(
                "\"x\"",
                "1",
                "null",
                "{}",
                "[]",
                "\"" + decoy + "0\"",
                "\"1e999\"",
                "\"\\ud800\"",
                "\"" + "9".repeat(400) + "\"",
                "true",
                "\"\""),
            r);
    String message =
        "{\"mode\":\"direct\",\"target\":\"fuzz-alice\",\"content_type\":\"text/plain\","
            + "\"payload\":\"fuzz\"}";
    return switch (r.nextInt(19)) {
      case 0 ->
          new Frame(Expect.ACCEPTED, "{\"type\":\"ack\",\"id\":\"" + a + "\"}", null, "an ack");
      case 1 ->
          new Frame(
              Expect.ACCEPTED,
              "{\"type\":\"ack\",\"ids\":[\""
                  + a
                  + "\",\""
                  + JsonMutations.pick(ackable, r)
                  + "\"]}",
              null,
              "an ack of two");
      case 2 ->
          new Frame(
              Expect.ACCEPTED,
              "{\"type\":\"ack\",\"ids\":[" + ("\"" + a + "\",").repeat(1500) + "\"" + a + "\"]}",
              null,
              "an ack of 1501 ids");
      case 3 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"ack\",\"ids\":[\"" + decoy + "\"," + bad + "]}",
              null,
              "an ack of a pending id and an invalid one");
      case 4 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"ack\",\"id\":" + bad + ",\"ids\":[\"" + decoy + "\"]}",
              null,
              "an ack with an invalid id");
      case 5 ->
          new Frame(
              Expect.REFUSED,
              JsonMutations.pick(
                  List.of(
                      "{\"type\":\"nack\"}",
                      "{\"type\":1}",
                      "{}",
                      "[]",
                      "\"ack\"",
                      "null",
                      "1",
                      "{\"type\":\"ACK\",\"id\":\"" + decoy + "\"}"),
                  r),
              null,
              "not an ack");
      case 6 ->
          new Frame(
              Expect.REFUSED,
              JsonMutations.pick(
                  JsonMutations.NOT_JSON.stream()
                      .filter(t -> !t.isBlank() && !t.startsWith("{\"a\":1}"))
                      .toList(),
                  r),
              null,
              "not JSON");
      case 7 ->
          new Frame(
              Expect.REFUSED,
              JsonMutations.deep(JsonMutations.pick(List.of(499, 500, 501, 5000), r), r),
              null,
              "deep nesting");
      case 8 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"ack\",\"id\":"
                  + JsonMutations.pick(JsonMutations.NUMBERS, r)
                  + ",\"ids\":[\""
                  + decoy
                  + "\"]}",
              null,
              "a number as id");
      case 9 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"ack\",\"type\":\"x\",\"ids\":[\"" + decoy + "\"]}",
              null,
              "duplicate keys");
      case 10 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"ack\",\"ids\":[\"" + decoy + "\"],\"id\":\"\\ud800\"}",
              null,
              "a lone surrogate");
      case 11 ->
          new Frame(
              Expect.EITHER,
              "{\"type\":\"ack\",\"id\":\"" + a + "\",\"extra\":[1,2]}",
              null,
              "an ack with an unknown field");
      case 12 -> new Frame(Expect.EITHER, "", null, "an empty frame");
      case 16 ->
          new Frame(
              Expect.ACCEPTED,
              "{\"type\":\"send\",\"ref\":\"r"
                  + r.nextInt(1000)
                  + "\",\"message\":"
                  + message
                  + "}",
              null,
              "a send");
      case 17 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"send\","
                  + JsonMutations.pick(
                      List.of(
                          "", "\"ref\":1,", "\"ref\":\"\",", "\"ref\":\"" + "r".repeat(65) + "\","),
                      r)
                  + "\"message\":"
                  + message
                  + "}",
              null,
              "a send without a valid ref");
      case 18 ->
          new Frame(
              Expect.REFUSED,
              "{\"type\":\"send\",\"ref\":\"bad\",\"message\":"
                  + JsonMutations.pick(
                      List.of(
                          "null",
                          "[]",
                          "\"hi\"",
                          "{\"mode\":\"direct\",\"target\":\"fuzz-alice\"}",
                          message.replace("fuzz-alice", "Not A Name"),
                          message.replace("\"fuzz\"", "\"a\\ud800b\""),
                          message.replace("}", ",\"extra\":1}")),
                      r)
                  + "}",
              null,
              "a send of a bad message");
      case 13 -> {
        int n = JsonMutations.pick(List.of(70_000, 1_100_000), r);
        yield new Frame(
            Expect.EITHER,
            "{\"type\":\"ack\",\"ids\":[\"" + decoy + "\"],\"x\":\"" + "x".repeat(n) + "\"}",
            null,
            "a frame of " + n + " bytes");
      }
      default -> {
        byte[] b = new byte[r.nextInt(2000)];
        r.nextBytes(b);
        yield new Frame(Expect.EITHER, "", b, "a binary frame");
      }
    };
  }

  /** Raw client frames for a socket after the handshake: broken ones, or a well-formed one. */
  static byte[] raw(RandomGenerator r, String decoy, List<String> described) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] ack = ("{\"type\":\"ack\",\"id\":\"" + decoy + "\"}").getBytes(StandardCharsets.UTF_8);
    switch (r.nextInt(9)) {
      case 0 -> {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        out.writeBytes(b);
        described.add("random bytes");
      }
      case 1 -> {
        out.writeBytes(frame(0x1, ack, false, true, r));
        described.add("an unmasked text frame");
      }
      case 2 -> {
        out.writeBytes(frame(0x3 + r.nextInt(5), ack, true, true, r));
        described.add("a reserved opcode");
      }
      case 3 -> {
        byte[] invalid = {'{', '"', (byte) 0xC0, (byte) 0xAE, '"', '}'};
        out.writeBytes(frame(0x1, invalid, true, true, r));
        described.add("invalid UTF-8 in a text frame");
      }
      case 4 -> {
        out.write(0x81);
        out.write(0xFF); // masked, 64-bit length follows
        out.writeBytes(new byte[] {0x7F, -1, -1, -1, -1, -1, -1, -1});
        out.writeBytes(new byte[] {1, 2, 3, 4});
        described.add("a frame that claims 2^63 bytes");
      }
      case 5 -> {
        out.writeBytes(frame(0x9, new byte[200], true, true, r));
        described.add("a ping of 200 bytes");
      }
      case 6 -> {
        out.writeBytes(frame(0x8, new byte[] {0x03, (byte) 0xE7, (byte) 0xC0}, true, true, r));
        described.add("a close with code 999 and invalid UTF-8");
      }
      case 7 -> {
        out.writeBytes(frame(0x1, ack, true, false, r));
        out.writeBytes(frame(0x9, new byte[0], true, false, r));
        out.writeBytes(frame(0x0, ack, true, true, r));
        described.add("a fragmented ack with a fragmented ping inside");
      }
      default -> {
        out.writeBytes(frame(0x1, ack, true, true, r));
        out.writeBytes(frame(0x8, new byte[] {0x03, (byte) 0xE8}, true, true, r));
        described.add("an ack and a close");
      }
    }
    return out.toByteArray();
  }

  /** One frame; a client's frames are masked (RFC 6455 §5.3). */
  static byte[] frame(int opcode, byte[] payload, boolean masked, boolean fin, RandomGenerator r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(mask | payload.length);
    } else {
      out.write(mask | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    }
    byte[] key = new byte[4];
    r.nextBytes(key);
    if (masked) {
      out.writeBytes(key);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
    }
    return out.toByteArray();
  }

  /** A server frame: its opcode and payload (server frames are not masked). */
  record ServerFrame(int opcode, byte[] payload) {
    /** The close code of a close frame, or -1. */
    int closeCode() {
      return opcode == 0x8 && payload.length >= 2
          ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff)
          : -1;
    }

    String text() {
      int from = opcode == 0x8 ? Math.min(2, payload.length) : 0;
      return new String(payload, from, payload.length - from, StandardCharsets.UTF_8);
    }
  }

  /** The whole frames in what a server sent; a frame cut off at the end is dropped. */
  static List<ServerFrame> decode(byte[] bytes) {
    List<ServerFrame> frames = new ArrayList<>();
    int at = 0;
    while (at + 2 <= bytes.length) {
      int opcode = bytes[at] & 0x0f;
      long length = bytes[at + 1] & 0x7f;
      int header = 2;
      if (length == 126 && at + 4 <= bytes.length) {
        length = ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
        header = 4;
      } else if (length == 127 && at + 10 <= bytes.length) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | (bytes[at + 2 + i] & 0xff);
        }
        header = 10;
      }
      if (length < 0 || at + header + length > bytes.length) {
        break;
      }
      byte[] payload = Arrays.copyOfRange(bytes, at + header, at + header + (int) length);
      frames.add(new ServerFrame(opcode, payload));
      at += header + (int) length;
    }
    return frames;
  }
}
