package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessageView;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How requests are built: URIs, query parameters and JSON bodies, exactly as the API has them. */
class RequestBuildingTest {
  private static String json(Object value) {
    return Json.mapper().writeValueAsString(value);
  }

  @Test
  void pathSegmentsArePercentEncodedAndTheBasePathIsKept() {
    URI uri =
        Rest.uri(
            URI.create("https://mail.example.com/prefix/"),
            List.of("v1", "topics", "a b/ç*"),
            List.of(Map.entry("tag", "x&y=z"), Map.entry("tag", "é")));
    assertThat(uri.toString())
        .isEqualTo(
            "https://mail.example.com/prefix/v1/topics/a%20b%2F%C3%A7%2A?tag=x%26y%3Dz&tag=%C3%A9");
    assertThat(Rest.segment("ai.models_x-1~")).isEqualTo("ai.models_x-1~");
  }

  @Test
  void aListQueryBecomesTheListingParameters() {
    ListQuery q =
        ListQuery.builder()
            .since(Instant.parse("2026-01-31T12:00:00Z"))
            .until(Instant.parse("2026-02-01T00:00:00Z"))
            .afterId("1M819J5X70000")
            .beforeId("1M819J5X70009")
            .sender("alice")
            .minPriority(Priority.HIGH)
            .contentType("text/plain")
            .tag("b")
            .tag("a")
            .unread(true)
            .maxAge(Duration.ofMinutes(5))
            .limit(20)
            .order(Order.DESC)
            .build();
    assertThat(q.parameters())
        .containsExactly(
            Map.entry("since", "2026-01-31T12:00:00Z"),
            Map.entry("until", "2026-02-01T00:00:00Z"),
            Map.entry("after_id", "1M819J5X70000"),
            Map.entry("before_id", "1M819J5X70009"),
            Map.entry("sender", "alice"),
            Map.entry("min_priority", "high"),
            Map.entry("content_type", "text/plain"),
            Map.entry("tag", "b"),
            Map.entry("tag", "a"),
            Map.entry("unread", "true"),
            Map.entry("max_age_seconds", "300"),
            Map.entry("limit", "20"),
            Map.entry("order", "desc"));
    assertThat(q.withCursor("c1").withCursor("c2").parameters())
        .endsWith(Map.entry("cursor", "c2"))
        .filteredOn(e -> e.getKey().equals("cursor"))
        .hasSize(1);
    assertThat(q.toBuilder().limit(30).build().parameters())
        .contains(Map.entry("limit", "30"))
        .doesNotContain(Map.entry("limit", "20"));
    assertThat(ListQuery.all().parameters()).isEmpty();
    assertThat(q.withCursor("c1").toBuilder().build()).isEqualTo(q.withCursor("c1"));
  }

  @Test
  void anAuditQueryBecomesTheAuditParameters() {
    AuditQuery q =
        AuditQuery.builder()
            .actor("alice")
            .action("POST /v1/messages")
            .resource("bob")
            .outcome("denied")
            .since(Instant.parse("2026-01-01T00:00:00Z"))
            .until(Instant.parse("2026-01-02T00:00:00Z"))
            .limit(10)
            .order(Order.DESC)
            .build();
    assertThat(q.withCursor("c9").parameters())
        .containsExactly(
            Map.entry("actor", "alice"),
            Map.entry("action", "POST /v1/messages"),
            Map.entry("resource", "bob"),
            Map.entry("outcome", "denied"),
            Map.entry("since", "2026-01-01T00:00:00Z"),
            Map.entry("until", "2026-01-02T00:00:00Z"),
            Map.entry("limit", "10"),
            Map.entry("order", "desc"),
            Map.entry("cursor", "c9"));
    assertThat(AuditQuery.all().parameters()).isEmpty();
  }

  @Test
  void aDraftBecomesTheSendBodyWithAbsentPartsLeftOut() {
    assertThat(json(Draft.broadcast().text("deploy at 14:00").toRequest()))
        .isEqualTo(
            "{\"mode\":\"broadcast\",\"content_type\":\"text/plain\","
                + "\"payload\":\"deploy at 14:00\"}");
    String full =
        json(
            Draft.direct("bob")
                .code("python", "print(42)")
                .priority(Priority.URGENT)
                .tag("review", "pr:42")
                .metadata(Map.of("repo", "mailroom"))
                .ttl(Duration.ofDays(1))
                .threadId("t-1")
                .inReplyTo("1M819J5X70000")
                .idempotencyKey("review-42")
                .toRequest());
    assertThat(full)
        .isEqualTo(
            "{\"mode\":\"direct\",\"target\":\"bob\",\"content_type\":\"text/code\","
                + "\"language\":\"python\",\"payload\":\"print(42)\",\"priority\":\"urgent\","
                + "\"tags\":[\"review\",\"pr:42\"],\"metadata\":{\"repo\":\"mailroom\"},"
                + "\"ttl_seconds\":86400,\"thread_id\":\"t-1\",\"in_reply_to\":\"1M819J5X70000\","
                + "\"idempotency_key\":\"review-42\"}");
    assertThat(json(Draft.topic("ai.x").binary(new byte[] {1, 2, 3}).toRequest()))
        .contains("\"payload\":\"AQID\"", "\"content_type\":\"application/octet-stream\"");
    assertThatThrownBy(() -> Draft.direct("bob").toRequest())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void attachmentsGoInOrderAndMayStandInForThePayload() {
    assertThat(
            json(
                Draft.direct("bob")
                    .attach("b1")
                    .attach("b2", "run.log")
                    .attach("b3", "shot.png", "image/png")
                    .toRequest()))
        .isEqualTo(
            "{\"mode\":\"direct\",\"target\":\"bob\",\"content_type\":\"text/plain\","
                + "\"payload\":\"\",\"attachments\":[{\"blob_id\":\"b1\"},"
                + "{\"blob_id\":\"b2\",\"name\":\"run.log\"},"
                + "{\"blob_id\":\"b3\",\"name\":\"shot.png\",\"content_type\":\"image/png\"}]}");
    assertThat(json(Draft.direct("bob").markdown("**see**").attach("b1").toRequest()))
        .isEqualTo(
            "{\"mode\":\"direct\",\"target\":\"bob\",\"content_type\":\"text/markdown\","
                + "\"payload\":\"**see**\",\"attachments\":[{\"blob_id\":\"b1\"}]}");
    assertThatThrownBy(() -> Draft.direct("bob").toRequest())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("attachments");
  }

  @Test
  void aReplyGoesToTheSenderInTheOriginalsThread() {
    MessageView original = Fixtures.message("1M819J5X70000", Optional.of("t-9"));
    assertThat(json(Draft.replyTo(original).text("a").toRequest()))
        .isEqualTo(
            "{\"mode\":\"direct\",\"target\":\"alice\",\"content_type\":\"text/plain\","
                + "\"payload\":\"a\",\"thread_id\":\"t-9\",\"in_reply_to\":\"1M819J5X70000\"}");
  }

  @Test
  void subscriptionAndTopicSettingsBecomeTheirBodies() {
    SubscriptionSettings s =
        SubscriptionSettings.builder()
            .mode(DeliveryMode.BATCH)
            .batchWindow(Duration.ofMillis(1500))
            .minPriority(Priority.HIGH)
            .tag("review")
            .build();
    assertThat(json(s.toRequest(Optional.of("ai.*"))))
        .isEqualTo(
            "{\"pattern\":\"ai.*\",\"delivery_mode\":\"batch\","
                + "\"filter\":{\"min_priority\":\"high\",\"tags\":[\"review\"]},"
                + "\"batch_window_seconds\":1.5}");
    assertThat(json(SubscriptionSettings.defaults().toRequest(Optional.empty()))).isEqualTo("{}");
    assertThat(
            json(
                TopicSettings.builder()
                    .description("d")
                    .retention(Duration.ofHours(1))
                    .build()
                    .toConfig()))
        .isEqualTo("{\"description\":\"d\",\"retention_seconds\":3600}");
  }

  @Test
  void anAlertRuleBecomesItsBody() {
    assertThat(json(new Alerts.RuleBody("backlog_pending", 1000, 0.5)))
        .isEqualTo("{\"signal\":\"backlog_pending\",\"fire_at\":1000.0,\"resolve_at\":0.5}");
  }
}
