package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.FieldError;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListingParserTest {

  private static Map<String, List<String>> query(String... pairs) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      q.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return q;
  }

  private static List<String> badFields(Map<String, List<String>> query) {
    MailroomException.InvalidRequest e =
        catchThrowableOfType(
            MailroomException.InvalidRequest.class, () -> ListingParser.parse(query));
    assertThat(e).as("expected the query to be refused").isNotNull();
    return e.errors().stream().map(FieldError::field).toList();
  }

  @Test
  void noParametersMeanTheFirstPageOfEverythingOldestFirst() {
    Listing l = ListingParser.parse(Map.of());

    assertThat(l).isEqualTo(Listing.all(50));
  }

  @Test
  void everyFilterIsReadAndTheyCombine() {
    MessageId after = MessageId.of(1000);
    MessageId before = MessageId.of(5000);
    Listing l =
        ListingParser.parse(
            query(
                "since", "2026-01-01T00:00:00Z",
                "until", "2026-01-02T01:00:00+01:00",
                "after_id", after.toString(),
                "before_id", before.toString(),
                "sender", "alice",
                "min_priority", "high",
                "content_type", "application/json",
                "tag", "a",
                "tag", "b",
                "unread", "true",
                "max_age_seconds", "3600",
                "limit", "1000",
                "order", "desc"));

    assertThat(l.filter().since()).contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(l.filter().until()).contains(Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(l.filter().afterId()).contains(after);
    assertThat(l.filter().beforeId()).contains(before);
    assertThat(l.filter().sender()).contains(AgentId.of("alice"));
    assertThat(l.filter().minPriority()).contains(Priority.HIGH);
    assertThat(l.filter().contentType()).contains(ContentType.APPLICATION_JSON);
    assertThat(l.filter().tags()).containsExactlyInAnyOrder(Tag.of("a"), Tag.of("b"));
    assertThat(l.filter().unread()).contains(true);
    assertThat(l.maxAge()).contains(Duration.ofHours(1));
    assertThat(l.limit()).isEqualTo(1000);
    assertThat(l.order()).isEqualTo(Order.DESC);
    assertThat(l.position()).isEmpty();
  }

  @Test
  void everyBadParameterIsNamedAtOnce() {
    assertThat(
            badFields(
                query(
                    "since", "yesterday",
                    "until", "2026-13-01T00:00:00Z",
                    "after_id", "x",
                    "before_id", "-",
                    "sender", "not valid",
                    "min_priority", "huge",
                    "content_type", "text/html",
                    "tag", "no way",
                    "unread", "yes",
                    "max_age_seconds", "0",
                    "limit", "1001",
                    "order", "sideways",
                    "cursor", "garbage",
                    "colour", "red")))
        .containsExactlyInAnyOrder(
            "since",
            "until",
            "after_id",
            "before_id",
            "sender",
            "min_priority",
            "content_type",
            "tag",
            "unread",
            "max_age_seconds",
            "limit",
            "order",
            "cursor",
            "colour");
  }

  @Test
  void aCursorContinuesAfterItsPosition() {
    MessageId last = MessageId.of(777);
    Listing l =
        ListingParser.parse(
            query("cursor", CursorCodec.encode(Order.DESC, last), "order", "desc", "limit", "5"));

    assertThat(l.position()).contains(last);
    assertThat(l.order()).isEqualTo(Order.DESC);
  }

  @Test
  void aCursorFromTheOtherOrderIsRefused() {
    String cursor = CursorCodec.encode(Order.ASC, MessageId.of(777));

    assertThat(badFields(query("cursor", cursor, "order", "desc"))).containsExactly("cursor");
    assertThat(badFields(query("cursor", CursorCodec.encode(Order.DESC, MessageId.of(1)))))
        .containsExactly("cursor");
  }

  @Test
  void aSingleValuedParameterGivenTwiceIsRefused() {
    assertThat(badFields(query("limit", "5", "limit", "6"))).containsExactly("limit");
  }

  @Test
  void limitsAndAgesOutOfRangeAreRefused() {
    assertThat(badFields(query("limit", "0"))).containsExactly("limit");
    assertThat(badFields(query("limit", "-1"))).containsExactly("limit");
    assertThat(badFields(query("limit", "ten"))).containsExactly("limit");
    assertThat(badFields(query("max_age_seconds", "99999999999999999999")))
        .containsExactly("max_age_seconds");
  }

  @Test
  void instantsBeyondYear9999AreRefusedRatherThanOverflowing() {
    assertThat(badFields(query("until", "+100000-01-01T00:00:00Z"))).containsExactly("until");
  }

  /** Found by ListingParserFuzzTest: {@code ?=x} was refused naming the field "". */
  @Test
  void aParameterWithoutANameIsRefusedNamingTheQuery() {
    MailroomException.InvalidRequest e =
        catchThrowableOfType(
            MailroomException.InvalidRequest.class,
            () -> ListingParser.parse(query("", "x", "limit", "5")));

    assertThat(e.errors())
        .containsExactly(new FieldError("query", "has a parameter without a name"));
  }
}
