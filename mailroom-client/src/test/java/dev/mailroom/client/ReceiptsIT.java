package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.ObligationView;
import dev.mailroom.protocol.ReceiptList;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's receipts and obligations against a real server. */
class ReceiptsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static MailroomClient alice;
  private static MailroomClient bob;
  private static AgentCreated bobAgent;
  private static AgentCreated aliceAgent;

  @BeforeAll
  static void agents() {
    aliceAgent = server.newAgent("alice");
    alice = server.client(aliceAgent);
    bobAgent = server.newAgent("bob");
    bob = server.client(bobAgent);
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
  }

  @Test
  void aSenderFollowsItsMessageFromQueuedToAcknowledged() {
    String id =
        alice
            .messages()
            .send(
                Draft.direct(bobAgent.id())
                    .text("take PR 7?")
                    .ackRequired()
                    .replyWithin(Duration.ofHours(1)))
            .id();

    ReceiptList queued = alice.messages().receipts(id);
    assertThat(queued.receipts())
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo("queued"));
    ObligationView owed = queued.obligation().orElseThrow();
    assertThat(owed.state()).isEqualTo("open");
    assertThat(owed.ackRequired()).isTrue();
    assertThat(owed.replyBy()).hasValueSatisfying(t -> assertThat(t).isAfter(Instant.now()));
    assertThat(
            bob.obligations()
                .all(Obligations.Role.OWED_BY_ME, Set.of())
                .map(ObligationView::messageId))
        .contains(id);

    bob.messages().ack(id);

    ReceiptList acked = alice.messages().receipts(id);
    assertThat(acked.receipts().getFirst().state()).isEqualTo("acknowledged");
    assertThat(acked.receipts().getFirst().acknowledgedAt()).isPresent();
    assertThat(acked.obligation().orElseThrow().metHow()).contains("ack");
    assertThat(
            alice
                .obligations()
                .list(
                    Obligations.Role.OWED_TO_ME,
                    Set.of(Obligations.State.MET),
                    Optional.empty(),
                    PageRequest.first())
                .obligations())
        .extracting(ObligationView::messageId)
        .contains(id);
    assertThatThrownBy(() -> bob.messages().receipts(id))
        .isInstanceOfSatisfying(
            MailroomClientException.class, e -> assertThat(e.status()).isEqualTo(403));
  }
}
