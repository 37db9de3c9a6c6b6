package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad sends: each gets the right 4xx as problem+json naming what is wrong, and nothing is stored.
 * Every bad send here would otherwise have reached {@code victim}'s inbox (or the shared mailbox
 * {@code victim-desk}), and after each test both are checked to be empty.
 */
class SendValidationIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final int ONE_MIB = 1024 * 1024;
  private static final String SHARED = "victim-desk";

  /** Where the few sends that must succeed go, away from the mailboxes checked to stay empty. */
  private static final String ACCEPTED = "accepted-desk";

  private static Agent alice;
  private static Agent victim;

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
    victim = api.newAgent("victim");
    // Create the shared mailbox, so that its history can be checked, and read the one message.
    String id = text(api.as(alice).sendOk(plain(SHARED, "opened")), "id");
    assertThat(api.as(victim).listIds("/v1/mailboxes/" + SHARED + "/messages", Query.NONE, 50))
        .containsExactly(id);
  }

  @AfterEach
  void nothingWasStored() {
    assertThat(api.as(victim).listIds("/v1/inbox", Query.NONE, 1000)).isEmpty();
    assertThat(api.as(victim).unreadCount()).isZero();
    assertThat(api.as(victim).listIds("/v1/mailboxes/" + SHARED + "/messages", Query.NONE, 50))
        .hasSize(1);
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("truncated", "{\"mode\":\"direct\",\"target\":"),
        Arguments.of("trailing garbage", validBody() + "}"),
        Arguments.of("not json", "mode=direct&target=victim"),
        Arguments.of("empty", ""),
        Arguments.of("an array", "[" + validBody() + "]"),
        Arguments.of("a string", "\"hello\""),
        Arguments.of("null", "null"),
        Arguments.of("single quotes", validBody().replace('"', '\'')));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void malformedJsonIsRefused(String label, String body) {
    assertProblem(api.as(alice).post("/v1/messages", body), 400);
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        bad("unknown mode", b -> b.put("mode", "sideways"), "mode"),
        bad("mode in capitals", b -> b.put("mode", "DIRECT"), "mode"),
        bad("no mode", b -> b.remove("mode"), "mode"),
        bad("mode not a string", b -> b.put("mode", 1), "mode"),
        bad("direct without target", b -> b.remove("target"), "target"),
        bad("direct to null", b -> b.put("target", null), "target"),
        bad("broadcast with a target", b -> b.put("mode", "broadcast"), "target"),
        bad("unknown content type", b -> b.put("content_type", "image/png"), "content_type"),
        bad("no content type", b -> b.remove("content_type"), "content_type"),
        bad("no payload", b -> b.remove("payload"), "payload"),
        bad("text payload not a string", b -> b.put("payload", 5), "payload"),
        bad("text/code without language", b -> b.put("content_type", "text/code"), "language"),
        bad(
            "invalid JSON text for application/json",
            b -> {
              b.put("content_type", "application/json");
              b.put("payload", "{\"unclosed\": [1, 2");
            },
            "payload"),
        bad(
            "a bare word for application/json",
            b -> {
              b.put("content_type", "application/json");
              b.put("payload", "hello");
            },
            "payload"),
        bad(
            "bad base64",
            b -> {
              b.put("content_type", "application/octet-stream");
              b.put("payload", "not base64 at all!");
            },
            "payload"),
        bad(
            "base64 with a stray character",
            b -> {
              b.put("content_type", "application/octet-stream");
              b.put("payload", "aGVsbG8*d29ybGQ=");
            },
            "payload"),
        bad(
            "binary payload not a string",
            b -> {
              b.put("content_type", "application/octet-stream");
              b.put("payload", List.of(1, 2, 3));
            },
            "payload"),
        bad(
            "a relative reference",
            b -> {
              b.put("content_type", "text/uri-list");
              b.put("payload", "just/a/path");
            },
            "payload"),
        bad("unknown priority", b -> b.put("priority", "extreme"), "priority"),
        bad("invalid tag", b -> b.put("tags", List.of("fine", "not fine!")), "tags"),
        bad("tags not a list", b -> b.put("tags", "red"), "tags"),
        bad("metadata not an object", b -> b.put("metadata", "k=v"), "metadata"),
        bad("ttl_seconds zero", b -> b.put("ttl_seconds", 0), "ttl_seconds"),
        bad("ttl_seconds negative", b -> b.put("ttl_seconds", -60), "ttl_seconds"),
        bad("ttl_seconds over a year", b -> b.put("ttl_seconds", 365L * 86_400 + 1), "ttl_seconds"),
        bad("ttl_seconds huge", b -> b.put("ttl_seconds", Long.MAX_VALUE), "ttl_seconds"),
        bad("ttl_seconds not a number", b -> b.put("ttl_seconds", "ten"), "ttl_seconds"),
        bad("invalid thread_id", b -> b.put("thread_id", "not a thread!"), "thread_id"),
        bad("invalid in_reply_to", b -> b.put("in_reply_to", "not-an-id"), "in_reply_to"),
        bad("a sender field", b -> b.put("sender", alice.id()), "sender"),
        bad("an unknown field", b -> b.put("colour", "blue"), "colour"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void anInvalidFieldIsNamed(String label, Consumer<Map<String, Object>> spoil, String field) {
    for (String target : List.of(victim.id(), SHARED)) {
      Map<String, Object> body = validMap();
      body.put("target", target);
      spoil.accept(body);

      assertInvalid(api.as(alice).send(body), field);
    }
  }

  @ParameterizedTest(name = "target {0}")
  @ValueSource(
      strings = {
        "a..b",
        ".leading",
        "trailing.",
        "",
        "bad name!",
        "sl/ash",
        "ünïcode",
        "tab\tbed",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q",
        "257"
      })
  void anInvalidTargetNameIsRefusedForDirectAndTopic(String name) {
    String target = name.equals("257") ? nameOfLength(257) : name;
    for (String mode : List.of("direct", "topic")) {
      Map<String, Object> body = validMap();
      body.put("mode", mode);
      body.put("target", target);

      assertInvalid(api.as(alice).send(body), "target");
    }
  }

  @Test
  void theLongestValidNamesAreAccepted() {
    Map<String, Object> body = validMap();
    body.put("mode", "topic");
    body.put("target", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p");
    assertThat(api.as(alice).send(body).status()).isEqualTo(201);
    body.put("target", nameOfLength(256));
    assertThat(api.as(alice).send(body).status()).isEqualTo(201);
  }

  @Test
  void everyBadFieldIsNamedAtOnce() {
    Map<String, Object> body = validMap();
    body.put("mode", "sideways");
    body.put("priority", "extreme");
    body.put("tags", List.of("ok", "bad tag!"));
    assertInvalid(api.as(alice).send(body), "mode", "priority", "tags");

    Map<String, Object> other = validMap();
    other.put("target", "a..b");
    other.put("content_type", "image/png");
    other.put("ttl_seconds", 0);
    other.put("sender", "mallory");
    assertInvalid(api.as(alice).send(other), "target", "content_type", "ttl_seconds", "sender");
  }

  @Test
  void aBadBroadcastReachesNobody() {
    Map<String, Object> body =
        object(
            "mode", "broadcast", "content_type", "text/plain", "payload", "x", "priority", "max");

    assertInvalid(api.as(alice).send(body), "priority");
  }

  @Test
  void aTextPayloadOverOneMebibyteIsTooLarge() {
    Map<String, Object> body = validMap();
    body.put("payload", "x".repeat(ONE_MIB + 1));

    assertProblem(api.as(alice).send(body), 413);
  }

  @Test
  void aTextPayloadIsMeasuredInUtf8Bytes() {
    Map<String, Object> body = validMap();
    body.put("payload", "é".repeat(ONE_MIB / 2 + 1));

    assertProblem(api.as(alice).send(body), 413);
  }

  @Test
  void aBinaryPayloadOverOneMebibyteDecodedIsTooLarge() {
    Map<String, Object> body = validMap();
    body.put("content_type", "application/octet-stream");
    body.put("payload", Base64.getEncoder().encodeToString(new byte[ONE_MIB + 1]));

    assertProblem(api.as(alice).send(body), 413);
  }

  @Test
  void aJsonPayloadOverOneMebibyteIsTooLarge() {
    Map<String, Object> body = validMap();
    body.put("content_type", "application/json");
    body.put("payload", Map.of("blob", "x".repeat(ONE_MIB)));

    assertProblem(api.as(alice).send(body), 413);
  }

  @Test
  void payloadsOfExactlyOneMebibyteAreAccepted() {
    Map<String, Object> text = validMap();
    text.put("target", ACCEPTED);
    text.put("payload", "x".repeat(ONE_MIB));
    Map<String, Object> binary = validMap();
    binary.put("target", ACCEPTED);
    binary.put("content_type", "application/octet-stream");
    binary.put("payload", Base64.getEncoder().encodeToString(new byte[ONE_MIB]));

    String textId = text(api.as(alice).sendOk(text), "id");
    String binaryId = text(api.as(alice).sendOk(binary), "id");

    assertThat(text(api.as(alice).message(textId), "payload")).hasSize(ONE_MIB);
    assertThat(Base64.getDecoder().decode(text(api.as(alice).message(binaryId), "payload")))
        .hasSize(ONE_MIB);
  }

  /**
   * The limit is on the decoded payload, not on the request body: a payload of exactly 1 MiB whose
   * characters JSON must escape (newlines, quotes) or that a client sends as unicode escapes (as
   * Python's json.dumps does by default) makes a body of 2 or 3 MiB, and is still accepted.
   */
  @Test
  void aOneMebibytePayloadIsAcceptedHoweverTheJsonEscapesIt() {
    Map<String, Object> escaped = validMap();
    escaped.put("target", ACCEPTED);
    escaped.put("payload", "\n\"".repeat(ONE_MIB / 2));
    Response r = api.as(alice).send(escaped);
    assertThat(r.status()).as("%s", r).isEqualTo(201);

    String unicodeEscaped =
        "{\"mode\":\"direct\",\"target\":\""
            + ACCEPTED
            + "\",\"content_type\":\"text/plain\",\"payload\":\""
            + "\\u00e9".repeat(ONE_MIB / 2)
            + "\"}";
    Response u = api.as(alice).post("/v1/messages", unicodeEscaped);
    assertThat(u.status()).as("%s", u).isEqualTo(201);
    assertThat(text(api.as(alice).message(text(u.json(), "id")), "payload"))
        .isEqualTo("é".repeat(ONE_MIB / 2));
  }

  @Test
  void anIdempotencyKeyUsedOnlyByARefusedSendIsStillFree() {
    Map<String, Object> bad = validMap();
    bad.put("target", SHARED);
    bad.put("priority", "extreme");
    bad.put("idempotency_key", "retry-after-fix");
    assertInvalid(api.as(alice).send(bad), "priority");

    Map<String, Object> good = validMap();
    good.put("target", ACCEPTED);
    good.put("idempotency_key", "retry-after-fix");
    Response r = api.as(alice).send(good);

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(r.json().path("duplicate").asBoolean(false)).isFalse();
    assertThat(api.as(alice).listIds("/v1/mailboxes/" + ACCEPTED + "/messages", Query.NONE, 50))
        .contains(text(r.json(), "id"));
  }

  private static String validBody() {
    return Json.write(validMap());
  }

  private static Map<String, Object> validMap() {
    return plain(victim.id(), "hello");
  }

  /** A valid name of exactly {@code length} characters: 64-character segments joined by dots. */
  private static String nameOfLength(int length) {
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      if (!b.isEmpty()) {
        b.append('.');
      }
      b.append("s".repeat(Math.min(64, length - b.length())));
    }
    return b.toString();
  }

  private static Arguments bad(String label, Consumer<Map<String, Object>> spoil, String field) {
    return Arguments.of(label, spoil, field);
  }
}
