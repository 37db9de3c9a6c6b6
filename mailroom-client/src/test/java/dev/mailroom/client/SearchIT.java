package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.SearchResult;
import dev.mailroom.protocol.SearchResults;
import dev.mailroom.protocol.SendResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's search against a real server: ranked pages, filters, a mailbox, refusals. */
class SearchIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static MailroomClient alice;
  private static MailroomClient bob;
  private static AgentCreated bobAgent;

  @BeforeAll
  static void agents() {
    alice = server.client(server.newAgent("alice"));
    bobAgent = server.newAgent("bob");
    bob = server.client(bobAgent);
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
  }

  @Test
  void resultsComeBestFirstPageByPageWithSnippetsAndFilters() {
    String word = "kiwi" + System.nanoTime();
    String desk = "sdk-search-" + System.nanoTime();
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      drafts.add(Draft.direct(desk).text(word + " number " + i).tag(i % 2 == 0 ? "even" : "odd"));
    }
    List<String> ids = alice.messages().sendAll(drafts).stream().map(SendResponse::id).toList();
    String twice =
        alice.messages().send(Draft.direct(bobAgent.id()).text(word + " " + word + " again")).id();

    List<String> all =
        bob.search()
            .all(word, ListQuery.builder().limit(7).build())
            .map(r -> r.message().id())
            .toList();
    assertThat(all).hasSize(31).startsWith(twice);
    assertThat(all.subList(1, 31)).containsExactlyElementsOf(ids.reversed());

    SearchResults first = bob.search().page(word, ListQuery.builder().limit(1).build());
    SearchResult best = first.results().getFirst();
    assertThat(best.snippet()).isEqualTo("<<" + word + ">> <<" + word + ">> again");
    assertThat(first.nextCursor()).isPresent();

    assertThat(bob.search().all(word, ListQuery.builder().tag("even").build()).count())
        .isEqualTo(15);
    assertThat(
            bob.search().page(word, Optional.of(bobAgent.id()), ListQuery.all()).results().stream()
                .map(r -> r.message().id()))
        .containsExactly(twice);
  }

  @Test
  void aQueryTheServerCannotReadIsRefused() {
    assertThatThrownBy(() -> bob.search().page("\"unclosed", ListQuery.all()))
        .isInstanceOfSatisfying(
            MailroomClientException.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
