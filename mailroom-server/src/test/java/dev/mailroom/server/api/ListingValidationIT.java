package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad listing parameters get 400 problem+json naming each bad parameter. */
class ListingValidationIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final String SHARED = "listing-desk";
  private static Agent alice;

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
    api.as(alice).sendOk(plain(alice.id(), "one"));
    api.as(alice).sendOk(plain(SHARED, "two"));
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of("limit", "0"),
        Arguments.of("limit", "1001"),
        Arguments.of("limit", "-1"),
        Arguments.of("limit", "ten"),
        Arguments.of("limit", ""),
        Arguments.of("order", "sideways"),
        Arguments.of("order", "ASCENDING"),
        Arguments.of("since", "yesterday"),
        Arguments.of("since", "2026-13-45T00:00:00Z"),
        Arguments.of("until", "tomorrow"),
        Arguments.of("after_id", "xyz"),
        Arguments.of("before_id", "!!!!!!!!!!!!!"),
        Arguments.of("sender", "not an agent!"),
        Arguments.of("min_priority", "extreme"),
        Arguments.of("content_type", "image/png"),
        Arguments.of("tag", "bad tag!"),
        Arguments.of("unread", "maybe"),
        Arguments.of("max_age_seconds", "-1"),
        Arguments.of("max_age_seconds", "old"),
        Arguments.of("cursor", "not-a-cursor"),
        Arguments.of(
            "cursor", Base64.getUrlEncoder().encodeToString("{\"after\":\"x\"}".getBytes())),
        Arguments.of("colour", "blue"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badParameters")
  void aBadParameterIsNamedForTheInboxAndForMailboxHistory(String name, String value) {
    for (String path : new String[] {"/v1/inbox", "/v1/mailboxes/" + SHARED + "/messages"}) {
      assertInvalid(api.as(alice).get(path, Query.of(name, value)), name);
    }
  }

  @Test
  void everyBadParameterIsNamedAtOnce() {
    Query query =
        Query.of("limit", 0)
            .and("order", "sideways")
            .and("since", "yesterday")
            .and("min_priority", "extreme")
            .and("colour", "blue");

    assertInvalid(
        api.as(alice).get("/v1/inbox", query), "limit", "order", "since", "min_priority", "colour");
  }

  @Test
  void anInvalidMailboxNameIsRefused() {
    assertProblem(api.as(alice).get("/v1/mailboxes/a..b/messages"), 400);
    assertProblem(api.as(alice).get("/v1/mailboxes/bad%20name/messages"), 400);
  }

  @Test
  void aValidListingStillWorksAfterTheRefusals() {
    assertThat(api.as(alice).listIds("/v1/inbox", Query.NONE, 10)).hasSize(1);
    assertThat(api.as(alice).listIds("/v1/mailboxes/" + SHARED + "/messages", Query.NONE, 10))
        .hasSize(1);
  }
}
