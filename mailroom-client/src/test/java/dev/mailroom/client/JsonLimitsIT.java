package dev.mailroom.client;

import static dev.mailroom.client.JsonTrees.nested;
import static dev.mailroom.protocol.JsonLimits.depth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SkippedMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The SDK against a server configured with the largest JSON limits a server accepts, whose store
 * also keeps messages no client can decode ({@link UndecodableMessages}): whatever the server
 * accepts comes back whole through every read, and a message the SDK cannot decode is skipped and
 * reported, never making the others unreadable.
 */
class JsonLimitsIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** Redeliveries about 100 ms, then 200 ms, after a push; dead-lettered after the third. */
  @RegisterExtension
  static final TestServer server =
      TestServer.storingUndecodableMessages(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(100), 2, 0)));

  @Test
  void aPayloadAtTheDeepestAServerAcceptsComesBackThroughEveryRead() throws Exception {
    AgentCreated bob = server.newAgent("bob");
    MailroomClient asBob = server.client(bob);
    MailroomClient alice = server.client(server.newAgent("alice"));
    subscribeInBatches(asBob, "limits.deepest", 1, Duration.ofMillis(100));
    List<MessageView> streamed = new CopyOnWriteArrayList<>();
    try (MessageStream stream = asBob.stream(m -> streamed.add(m.message()))) {
      String direct =
          alice.messages().send(Draft.direct(bob.id()).jsonText(nested(JsonLimits.MAX_DEPTH))).id();
      String topic =
          alice
              .messages()
              .send(Draft.topic("limits.deepest").jsonText(nested(JsonLimits.MAX_DEPTH)))
              .id();
      await().atMost(WAIT).until(() -> streamed.size() == 2);
      assertThat(streamed).extracting(MessageView::id).containsExactly(direct, topic);
      assertThat(streamed).allSatisfy(m -> assertThat(depth(m.payload())).isEqualTo(1000));

      MessagePage page = asBob.messages().inbox(ListQuery.builder().build());
      assertThat(page.skipped()).isEmpty();
      assertThat(page.messages()).extracting(MessageView::id).contains(direct, topic);
      assertThat(depth(asBob.messages().get(direct).payload())).isEqualTo(JsonLimits.MAX_DEPTH);
      assertThat(asBob.messages().history("limits.deepest", ListQuery.builder().build()).messages())
          .singleElement()
          .satisfies(m -> assertThat(depth(m.payload())).isEqualTo(JsonLimits.MAX_DEPTH));
    }
  }

  private static void subscribeInBatches(
      MailroomClient client, String pattern, int size, Duration window) {
    client
        .subscriptions()
        .create(
            pattern,
            SubscriptionSettings.builder()
                .mode(DeliveryMode.BATCH)
                .batchSize(size)
                .batchWindow(window)
                .build());
  }

  @Test
  void oneLevelMoreIsRefusedNamingThePayload() {
    MailroomClient alice = server.client(server.newAgent("alice"));
    assertThatThrownBy(
            () ->
                alice
                    .messages()
                    .send(Draft.direct("nobody-desk").jsonText(nested(JsonLimits.MAX_DEPTH + 1))))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.BAD_REQUEST);
              assertThat(e.fieldErrors())
                  .singleElement()
                  .satisfies(
                      f -> {
                        assertThat(f.field()).isEqualTo("payload");
                        assertThat(f.message()).isEqualTo("is nested deeper than 1000 levels");
                      });
            });
  }

  @Test
  void theLongestNumberAServerAcceptsComesBackEvenWhenItsCanonicalFormIsLonger() {
    AgentCreated bob = server.newAgent("bob");
    MailroomClient alice = server.client(server.newAgent("alice"));
    // 10,000 digits as sent; stored as 0.000001 followed by 9,994 zeros: 10,001 digits.
    String longest = "1" + "0".repeat(9994) + "e-10000";
    assertThat(digits(longest)).isEqualTo(JsonLimits.MAX_NUMBER_LENGTH);
    String id = alice.messages().send(Draft.direct(bob.id()).jsonText("[" + longest + "]")).id();
    JsonNode payload = server.client(bob).messages().get(id).payload();
    assertThat(payload.get(0).decimalValue()).isEqualByComparingTo(new BigDecimal(longest));
    assertThat(digits(payload.get(0).decimalValue().toString()))
        .isEqualTo(JsonLimits.MAX_NUMBER_LENGTH + 1);
  }

  private static long digits(String number) {
    return number.chars().filter(Character::isDigit).count();
  }

  @Test
  void aMessageTheSdkCannotDecodeIsSkippedFromPagesAndReportedWithItsId() {
    AgentCreated bob = server.newAgent("bob");
    MailroomClient asBob = server.client(bob);
    MailroomClient alice = server.client(server.newAgent("alice"));
    String before = alice.messages().send(Draft.direct(bob.id()).text("before")).id();
    String bad =
        alice.messages().send(Draft.direct(bob.id()).json(UndecodableMessages.MARKER)).id();
    String after = alice.messages().send(Draft.direct(bob.id()).text("after")).id();

    for (MessagePage page :
        List.of(
            asBob.messages().inbox(ListQuery.builder().build()),
            asBob.messages().inbox(ListQuery.builder().build(), Duration.ofSeconds(1)),
            asBob.messages().history(bob.id(), ListQuery.builder().build()))) {
      assertThat(page.messages()).extracting(MessageView::id).containsExactly(before, after);
      assertThat(page.skipped())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.id()).contains(bad);
                assertThat(s.reason()).isEqualTo("payload: is nested deeper than 1007 levels");
              });
    }
    assertThat(asBob.messages().inboxAll(ListQuery.builder().limit(1).build()))
        .extracting(MessageView::id)
        .containsExactly(before, after);
    assertThatThrownBy(() -> asBob.messages().get(bad))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.SERVER_ERROR);
              assertThat(e.detail()).contains("payload: is nested deeper than 1007 levels");
              assertThat(e.detail()).doesNotContain("StreamReadConstraints", "`");
            });
    // The rest of the API still works on it by id.
    asBob.messages().markRead(bad);
    assertThat(asBob.messages().unreadCount().unread()).isEqualTo(2);
  }

  @Test
  void aStreamSkipsWhatItCannotDecodeWithoutReconnectingAndTheServerDeadLettersIt()
      throws Exception {
    AgentCreated bob = server.newAgent("bob");
    MailroomClient asBob = server.client(bob);
    MailroomClient alice = server.client(server.newAgent("alice"));
    subscribeInBatches(asBob, "limits.batched", 2, Duration.ofSeconds(5));
    List<String> handled = new CopyOnWriteArrayList<>();
    List<SkippedMessage> skipped = new CopyOnWriteArrayList<>();
    List<String> disconnects = new CopyOnWriteArrayList<>();
    StreamOptions options =
        StreamOptions.builder()
            .listener(
                new StreamListener() {
                  @Override
                  public void skipped(SkippedMessage message) {
                    skipped.add(message);
                  }

                  @Override
                  public void disconnected(String reason, Duration retryIn) {
                    disconnects.add(reason);
                  }
                })
            .build();
    String bad;
    String batchedBad;
    List<String> good;
    try (MessageStream stream = asBob.stream(options, m -> handled.add(m.id()))) {
      String first = alice.messages().send(Draft.direct(bob.id()).text("first")).id();
      bad = alice.messages().send(Draft.direct(bob.id()).json(UndecodableMessages.MARKER)).id();
      String last = alice.messages().send(Draft.direct(bob.id()).text("last")).id();
      batchedBad =
          alice
              .messages()
              .send(Draft.topic("limits.batched").json(UndecodableMessages.MARKER))
              .id();
      String batched = alice.messages().send(Draft.topic("limits.batched").text("ok")).id();
      good = List.of(first, last, batched);

      await().atMost(WAIT).until(() -> handled.size() == 3);
      assertThat(handled).containsExactlyInAnyOrderElementsOf(good);
      // Not acknowledged: pushed again until its last attempt, then dead-lettered.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(asBob.deadLetters().list(10).skipped())
                      .extracting(s -> s.id().orElseThrow())
                      .containsExactlyInAnyOrder(bad, batchedBad));
      assertThat(stream.state()).isEqualTo(MessageStream.State.CONNECTED);
    }
    assertThat(disconnects).isEmpty();
    assertThat(skipped).extracting(s -> s.id().orElseThrow()).contains(bad, batchedBad);
    assertThat(skipped)
        .extracting(SkippedMessage::reason)
        .allSatisfy(r -> assertThat(r).startsWith("message.payload: is nested deeper than"));
    assertThat(handled).containsExactlyInAnyOrderElementsOf(good);
    assertThat(asBob.deadLetters().list(10).deadLetters()).isEmpty();
    asBob.deadLetters().purge(bad);
    assertThat(asBob.deadLetters().list(10).skipped())
        .extracting(s -> s.id().orElseThrow())
        .containsExactly(batchedBad);
  }
}
