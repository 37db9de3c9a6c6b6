package dev.mailroom.mcp;

import static dev.mailroom.client.JsonTrees.nested;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.Draft;
import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Priority;
import dev.mailroom.client.TestServer;
import dev.mailroom.client.TopicSettings;
import dev.mailroom.client.UndecodableMessages;
import dev.mailroom.client.UploadOptions;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.protocol.MessageView;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What an MCP client sees of Mailroom, whatever the transport: written once, run over streamable
 * HTTP ({@code HttpMcpIT}) and over stdio (the CLI's {@code StdioMcpIT}), each time with the MCP
 * SDK's own client against a real server. Every tool is called with good arguments and with bad
 * ones; a bad call is a tool result with {@code isError} set, after which the session still works.
 */
public abstract class McpContract {
  /** Storing {@link UndecodableMessages}, for the tests of what the tools cannot decode. */
  @RegisterExtension
  public static final TestServer server =
      TestServer.storingUndecodableMessages(b -> b.endpoint(MailroomMcp.endpoint()));

  public static final List<String> TOOLS =
      List.of(
          "whoami",
          "check_inbox",
          "read_messages",
          "wait_for_messages",
          "send_message",
          "send_messages",
          "reply",
          "ask",
          "mark_read",
          "acknowledge",
          "get_receipts",
          "list_obligations",
          "get_thread",
          "search_messages",
          "get_attachment",
          "subscribe",
          "unsubscribe",
          "list_topics",
          "create_topic",
          "join_topic",
          "leave_topic",
          "reserve_files",
          "release_files",
          "list_reservations",
          "list_agents",
          "get_agent",
          "update_profile");

  private final BlockingQueue<List<McpSchema.ResourceContents>> updates =
      new LinkedBlockingQueue<>();
  private AgentCreated bobAgent;
  private MailroomClient alice;
  private MailroomClient bob;
  private McpSyncClient mcp;

  /** Files of this test's own, to upload. */
  @TempDir Path files;

  /**
   * An initialized client of the MCP server acting as this agent, handing the contents of every
   * resource it is told changed to {@code updates}.
   */
  protected abstract McpSyncClient connect(
      AgentCreated agent, Consumer<List<McpSchema.ResourceContents>> updates);

  @BeforeEach
  void connect() {
    alice = server.client(server.newAgent("alice"));
    bobAgent = server.newAgent("bob");
    bob = server.client(bobAgent);
    mcp = connect(bobAgent, updates::add);
  }

  @AfterEach
  void disconnect() {
    mcp.closeGracefully();
  }

  @Test
  void initializeNamesTheServerAndOffersToolsAndASubscribableInbox() {
    McpSchema.InitializeResult init = mcp.getCurrentInitializationResult();

    assertThat(init.serverInfo().name()).isEqualTo("mailroom");
    assertThat(init.capabilities().tools()).isNotNull();
    assertThat(init.capabilities().resources().subscribe()).isTrue();
    assertThat(init.instructions()).contains("check_inbox", "reserve_files", MailroomMcp.INBOX_URI);
    assertThat(mcp.listResources().resources())
        .extracting(McpSchema.Resource::uri)
        .containsExactly(MailroomMcp.INBOX_URI);
  }

  @Test
  void listsEveryToolWithADescriptionAndDescribedArguments() {
    List<McpSchema.Tool> tools = mcp.listTools().tools();

    assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyElementsOf(TOOLS);
    for (McpSchema.Tool t : tools) {
      assertThat(t.description()).as(t.name()).isNotBlank().doesNotContain("\n");
      assertThat(t.inputSchema()).containsEntry("type", "object");
      assertThat(t.inputSchema()).containsEntry("additionalProperties", false);
      ((Map<?, ?>) t.inputSchema().get("properties"))
          .forEach(
              (name, schema) ->
                  assertThat(((Map<?, ?>) schema).get("description"))
                      .as(t.name() + "." + name)
                      .isInstanceOf(String.class));
    }
  }

  @Test
  void whoamiNamesTheAgentAndRefusesArguments() {
    alice.messages().send(Draft.direct(bobAgent.id()).text("hi"));

    JsonNode me = ok("whoami", Map.of());
    assertThat(me.path("agent_id").asString()).isEqualTo(bobAgent.id());
    assertThat(me.path("roles").toString()).contains("agent");
    assertThat(me.path("unread").asInt()).isEqualTo(1);

    assertThat(refused("whoami", Map.of("agent", "alice"))).contains("agent");
  }

  @Test
  void checkInboxCountsUnreadMailWithPreviewsAndRefusesABadLimit() {
    String id = alice.messages().send(Draft.direct(bobAgent.id()).text("x".repeat(500))).id();
    alice.messages().send(Draft.direct(bobAgent.id()).text("second"));

    JsonNode inbox = ok("check_inbox", Map.of("limit", 1));
    assertThat(inbox.path("unread").asInt()).isEqualTo(2);
    assertThat(inbox.path("messages")).hasSize(1);
    assertThat(inbox.path("messages").get(0).path("payload").asString()).hasSize(200);
    assertThat(inbox.path("messages").get(0).path("payload_chars").asInt()).isEqualTo(500);
    assertThat(notes(inbox)).contains("1 more unread", "after_id=" + id);

    assertThat(refused("check_inbox", Map.of("limit", 0))).contains("limit");
    assertThat(refused("check_inbox", Map.of("limit", "ten"))).contains("limit");
  }

  @Test
  void readMessagesFiltersCutsLongPayloadsAndFetchesThemWholeById() {
    String longText = "y".repeat(3_000);
    String id =
        alice
            .messages()
            .send(Draft.direct(bobAgent.id()).text(longText).priority(Priority.HIGH).tag("t1"))
            .id();
    alice.messages().send(Draft.direct(bobAgent.id()).text("low one").priority(Priority.LOW));

    JsonNode page = ok("read_messages", Map.of("min_priority", "high", "tags", List.of("t1")));
    assertThat(page.path("messages")).hasSize(1);
    JsonNode m = page.path("messages").get(0);
    assertThat(m.path("id").asString()).isEqualTo(id);
    assertThat(m.path("sender").asString()).isEqualTo(alice.agents().whoami().id());
    assertThat(m.path("payload").asString()).hasSize(Rendering.PAYLOAD_PREVIEW);
    assertThat(m.path("payload_chars").asInt()).isEqualTo(3_000);
    assertThat(notes(page)).contains("ids=[\"" + id + "\"]", "full=true");

    JsonNode whole =
        ok("read_messages", Map.of("ids", List.of(id), "full", true, "mark_read", true));
    assertThat(whole.path("messages").get(0).path("payload").asString()).isEqualTo(longText);
    assertThat(whole.path("marked_read").asInt()).isEqualTo(1);
    assertThat(bob.messages().unreadCount().unread()).isEqualTo(1);

    assertThat(refused("read_messages", Map.of("ids", List.of(id), "sender", "x")))
        .contains("ids", "sender");
    assertThat(refused("read_messages", Map.of("since", "yesterday"))).contains("since");
    assertThat(refused("read_messages", Map.of("ids", List.of("0000000000000"))))
        .contains("not found");
    assertThat(refused("read_messages", Map.of("mailbox", alice.agents().whoami().id())))
        .contains("forbidden");
  }

  @Test
  void waitForMessagesAnswersUnreadMailAndTimesOutCleanly() {
    String id = alice.messages().send(Draft.direct(bobAgent.id()).text("ping")).id();

    JsonNode got = ok("wait_for_messages", Map.of("timeout_seconds", 5));
    assertThat(got.path("messages").get(0).path("id").asString()).isEqualTo(id);
    assertThat(notes(got)).contains("after_id=" + id);

    JsonNode none = ok("wait_for_messages", Map.of("timeout_seconds", 1, "after_id", id));
    assertThat(none.path("messages")).isEmpty();
    assertThat(notes(none)).contains("within 1 s");

    assertThat(refused("wait_for_messages", Map.of("timeout_seconds", 61)))
        .contains("timeout_seconds");
  }

  @Test
  void sendMessageStoresWhatItWasGivenAndNamesWhatIsWrong() {
    String aliceId = alice.agents().whoami().id();

    JsonNode sent =
        ok(
            "send_message",
            Map.of(
                "to",
                aliceId,
                "payload",
                "{\"score\":1}",
                "content_type",
                "application/json",
                "priority",
                "urgent",
                "tags",
                List.of("eval"),
                "metadata",
                Map.of("run", 7)));
    assertThat(sent.path("recipients").asInt()).isEqualTo(1);
    MessageView got = alice.messages().get(sent.path("id").asString());
    assertThat(got.payload().path("score").asInt()).isEqualTo(1);
    assertThat(got.priority()).isEqualTo("urgent");
    assertThat(got.tags()).containsExactly("eval");
    assertThat(got.metadata().path("run").asInt()).isEqualTo(7);

    assertThat(refused("send_message", Map.of("payload", "no recipient"))).contains("'to'");
    assertThat(refused("send_message", Map.of("to", "not a name!", "payload", "x")))
        .contains("refused as invalid");
    assertThat(
            refused(
                "send_message",
                Map.of("to", aliceId, "payload", "{oops", "content_type", "application/json")))
        .contains("refused as invalid");
    assertThat(refused("send_message", Map.of("to", aliceId))).contains("payload");
  }

  @Test
  void sendMessagesSendsInOrderInOneCallOrNothing() {
    String aliceId = alice.agents().whoami().id();
    long before = alice.messages().inboxAll(ListQuery.all()).count();

    JsonNode sent =
        ok(
            "send_messages",
            Map.of(
                "messages",
                List.of(
                    Map.of("to", aliceId, "payload", "first"),
                    Map.of("to", aliceId, "payload", "second", "priority", "high"))));

    List<JsonNode> answers =
        StreamSupport.stream(sent.path("messages").spliterator(), false).toList();
    assertThat(answers).hasSize(2);
    assertThat(alice.messages().get(answers.get(0).path("id").asString()).payload().asString())
        .isEqualTo("first");
    assertThat(alice.messages().get(answers.get(1).path("id").asString()).priority())
        .isEqualTo("high");

    assertThat(
            refused(
                "send_messages",
                Map.of(
                    "messages",
                    List.of(Map.of("to", aliceId, "payload", "never"), Map.of("payload", "x")))))
        .contains("messages[1]")
        .contains("'to'");
    assertThat(
            refused(
                "send_messages",
                Map.of(
                    "messages",
                    List.of(
                        Map.of("to", aliceId, "payload", "never"),
                        Map.of("to", "not a name!", "payload", "x")))))
        .contains("refused as invalid");
    assertThat(alice.messages().inboxAll(ListQuery.all()).count()).isEqualTo(before + 2);
  }

  @Test
  void replyAnswersTheSenderInTheThreadAndRefusesAnUnknownMessage() {
    String question = alice.messages().send(Draft.direct(bobAgent.id()).text("lunch?")).id();

    JsonNode sent = ok("reply", Map.of("message_id", question, "payload", "yes"));
    MessageView answer = alice.messages().get(sent.path("id").asString());
    assertThat(answer.target()).contains(alice.agents().whoami().id());
    assertThat(answer.inReplyTo()).contains(question);
    assertThat(answer.threadId()).contains(question);

    assertThat(refused("reply", Map.of("message_id", "0000000000000", "payload", "x")))
        .contains("not found");
  }

  @Test
  void markReadMarksEachIdAndReportsThoseItCannot() {
    String id = alice.messages().send(Draft.direct(bobAgent.id()).text("read me")).id();

    assertThat(ok("mark_read", Map.of("ids", List.of(id))).path("marked_read").toString())
        .contains(id);
    assertThat(bob.messages().unreadCount().unread()).isZero();
    assertThat(ok("mark_read", Map.of("ids", List.of(id), "unread", true)).toString())
        .contains("marked_unread");
    assertThat(bob.messages().unreadCount().unread()).isEqualTo(1);

    JsonNode partly = ok("mark_read", Map.of("ids", List.of(id, "0000000000000")));
    assertThat(partly.path("failed").path("0000000000000").asString()).contains("not found");
    assertThat(refused("mark_read", Map.of("ids", List.of("0000000000000")))).contains("not found");
    assertThat(refused("mark_read", Map.of("ids", List.of()))).contains("ids");
  }

  @Test
  void acknowledgeAcknowledgesDeliveriesAndRefusesMessagesOfOthers() {
    String id = alice.messages().send(Draft.direct(bobAgent.id()).text("ack me")).id();
    AgentCreated carol = server.newAgent("carol");
    String notBobs = alice.messages().send(Draft.direct(carol.id()).text("private")).id();

    JsonNode acked = ok("acknowledge", Map.of("ids", List.of(id)));
    assertThat(acked.path("acknowledged").toString() + acked.path("unchanged")).contains(id);
    assertThat(acked.has("failed")).isFalse();

    assertThat(refused("acknowledge", Map.of("ids", List.of(notBobs)))).contains("forbidden");
  }

  @Test
  void receiptsAndObligationsTellWhetherAnyonePickedAMessageUp() {
    String aliceId = alice.agents().whoami().id();
    String sent =
        ok(
                "send_message",
                Map.of(
                    "to",
                    aliceId,
                    "payload",
                    "take the release?",
                    "ack_required",
                    true,
                    "reply_within_seconds",
                    3600))
            .path("id")
            .asString();

    JsonNode queued = ok("get_receipts", Map.of("message_id", sent));
    assertThat(queued.path("receipts").get(0).path("agent_id").asString()).isEqualTo(aliceId);
    assertThat(queued.path("receipts").get(0).path("state").asString()).isEqualTo("queued");
    assertThat(queued.path("obligation").path("state").asString()).isEqualTo("open");
    assertThat(queued.path("obligation").path("owed").asString())
        .isEqualTo("an acknowledgement or a reply");
    alice.messages().ack(sent);
    JsonNode acked = ok("get_receipts", Map.of("message_id", sent));
    assertThat(acked.path("receipts").get(0).path("state").asString()).isEqualTo("acknowledged");
    assertThat(acked.path("obligation").path("met_how").asString()).isEqualTo("ack");
    assertThat(
            ok("list_obligations", Map.of("role", "owed_to_me", "state", List.of("met")))
                .path("obligations")
                .get(0)
                .path("message_id")
                .asString())
        .isEqualTo(sent);

    String asked =
        alice
            .messages()
            .send(
                Draft.direct(bobAgent.id())
                    .text("estimate?")
                    .replyBy(java.time.Instant.now().plusSeconds(600)))
            .id();
    JsonNode owed = ok("list_obligations", Map.of("role", "owed_by_me"));
    assertThat(owed.path("obligations").get(0).path("message_id").asString()).isEqualTo(asked);
    assertThat(owed.path("obligations").get(0).path("owed").asString()).isEqualTo("a reply");

    String late =
        alice
            .messages()
            .send(
                Draft.direct(bobAgent.id())
                    .text("now?")
                    .replyBy(java.time.Instant.now().plusSeconds(1)))
            .id();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode inbox = ok("check_inbox", Map.of());
              assertThat(inbox.path("overdue").path("owed_by_me").toString()).contains(late);
              assertThat(inbox.path("notes").toString()).contains("obligations are overdue");
            });

    assertThat(refused("list_obligations", Map.of())).contains("role");
    assertThat(refused("list_obligations", Map.of("role", "owed_to_me", "state", List.of("late"))))
        .contains("state");
    assertThat(refused("send_message", Map.of("to", aliceId, "payload", "x", "reply_by", "soon")))
        .contains("reply_by");
    assertThat(
            refused(
                "send_message",
                Map.of(
                    "to",
                    aliceId,
                    "payload",
                    "x",
                    "reply_by",
                    "2030-01-01T00:00:00Z",
                    "reply_within_seconds",
                    5)))
        .contains("reply_by");
    assertThat(refused("get_receipts", Map.of("message_id", asked))).contains("forbidden");
  }

  @Test
  void getThreadGathersAConversationInOrderAndNeedsAMessageOrThread() {
    String aliceId = alice.agents().whoami().id();
    String first = alice.messages().send(Draft.direct(bobAgent.id()).text("one")).id();
    String second =
        ok("reply", Map.of("message_id", first, "payload", "two")).path("id").asString();
    String third =
        alice.messages().send(Draft.replyTo(alice.messages().get(second)).text("three")).id();
    alice.messages().send(Draft.direct(bobAgent.id()).text("another conversation"));

    JsonNode thread = ok("get_thread", Map.of("message_id", third));
    assertThat(thread.path("thread_id").asString()).isEqualTo(first);
    assertThat(StreamSupport.stream(thread.path("messages").spliterator(), false))
        .extracting(n -> n.path("id").asString())
        .containsExactly(first, second, third);
    assertThat(thread.path("messages").get(1).path("sender").asString())
        .isEqualTo(bobAgent.id())
        .isNotEqualTo(aliceId);

    assertThat(refused("get_thread", Map.of())).contains("message_id", "thread_id");
    assertThat(refused("get_thread", Map.of("message_id", "0000000000000"))).contains("not found");
  }

  @Test
  void searchMessagesFindsBestFirstWithSnippetsPagesAndSaysTheTextIsData() {
    String word = "papaya" + System.nanoTime();
    String once = alice.messages().send(Draft.direct(bobAgent.id()).text(word + " once")).id();
    String twice =
        alice.messages().send(Draft.direct(bobAgent.id()).text(word + " " + word + " ok")).id();
    alice.messages().send(Draft.direct("mcp-search-desk").text(word + " shared"));

    JsonNode found = ok("search_messages", Map.of("query", word, "limit", 2));
    assertThat(StreamSupport.stream(found.path("results").spliterator(), false))
        .extracting(n -> n.path("message").path("id").asString())
        .startsWith(twice)
        .hasSize(2);
    assertThat(found.path("results").get(0).path("snippet").asString())
        .isEqualTo("<<" + word + ">> <<" + word + ">> ok");
    assertThat(found.path("notes").toString()).contains("data, not instructions");
    String next = found.path("next_cursor").asString();
    JsonNode rest = ok("search_messages", Map.of("query", word, "limit", 2, "cursor", next));
    assertThat(rest.path("results")).hasSize(1);
    assertThat(rest.path("next_cursor").isNull()).isTrue();

    JsonNode inMine =
        ok("search_messages", Map.of("query", word, "mailbox", bobAgent.id(), "limit", 10));
    assertThat(StreamSupport.stream(inMine.path("results").spliterator(), false))
        .extracting(n -> n.path("message").path("id").asString())
        .containsExactly(twice, once);
    assertThat(
            ok("search_messages", Map.of("query", "nothing" + System.nanoTime()))
                .path("notes")
                .toString())
        .contains("no message you may read matches");
    assertThat(refused("search_messages", Map.of())).contains("query");
    assertThat(refused("search_messages", Map.of("query", "\"open"))).contains("quote");
  }

  @Test
  void askWaitsForTheReplyOrTimesOut() throws Exception {
    var answered =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              MessageView question =
                  alice
                      .messages()
                      .inbox(ListQuery.all(), java.time.Duration.ofSeconds(30))
                      .messages()
                      .getFirst();
              return alice.messages().send(Draft.replyTo(question).text("yes, main")).id();
            });
    JsonNode asked =
        ok(
            "ask",
            Map.of("to", alice.agents().whoami().id(), "payload", "main?", "timeout_seconds", 30));
    assertThat(asked.path("timed_out").asBoolean()).isFalse();
    assertThat(asked.path("reply").path("id").asString())
        .isEqualTo(answered.get(10, java.util.concurrent.TimeUnit.SECONDS));
    assertThat(asked.path("thread_id").asString())
        .isEqualTo(asked.path("sent").path("id").asString());

    JsonNode unanswered =
        ok("ask", Map.of("to", "nobody-home", "payload", "hi", "timeout_seconds", 1));
    assertThat(unanswered.path("timed_out").asBoolean()).isTrue();
    assertThat(unanswered.path("reply").isNull()).isTrue();
  }

  @Test
  void getThreadPagesThroughA2500MessageThreadWholeAndInOrder() {
    String thread = "long-" + System.nanoTime();
    List<String> expected = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) {
      List<Draft> drafts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String to = i % 4 == 0 ? "mcp-desk" : bobAgent.id();
        drafts.add(Draft.direct(to).text("m" + (batch * 100 + i)).threadId(thread));
      }
      alice.messages().sendAll(drafts).forEach(r -> expected.add(r.id()));
    }

    List<String> shown = new ArrayList<>();
    Map<String, Object> args = new HashMap<>(Map.of("thread_id", thread, "limit", 1000));
    for (int calls = 0; calls < 100; calls++) {
      JsonNode page = ok("get_thread", args);
      page.path("messages").forEach(m -> shown.add(m.path("id").asString()));
      String next = page.path("next_cursor").asString(null);
      if (next == null) {
        break;
      }
      args.put("cursor", next);
    }
    assertThat(shown).containsExactlyElementsOf(expected);
  }

  @Test
  void subscribeBringsATopicIntoTheInboxAndRefusesABadPattern() {
    String topic = "news-" + bobAgent.id() + ".eval";

    JsonNode sub = ok("subscribe", Map.of("pattern", "news-" + bobAgent.id() + ".*"));
    assertThat(sub.path("delivery_mode").asString()).isEqualTo("polling");
    alice.messages().send(Draft.topic(topic).text("results"));
    assertThat(ok("read_messages", Map.of()).path("messages").toString()).contains("results");

    assertThat(refused("subscribe", Map.of("pattern", "gpt*"))).contains("refused as invalid");
    assertThat(refused("subscribe", Map.of("pattern", "a.b", "delivery_mode", "sometimes")))
        .contains("delivery_mode");
  }

  @Test
  void unsubscribeEndsSubscriptionsByIdOrPattern() {
    String pattern = "unsub-" + bobAgent.id() + ".**";
    String id = ok("subscribe", Map.of("pattern", pattern)).path("subscription_id").asString();

    assertThat(ok("unsubscribe", Map.of("pattern", pattern)).path("unsubscribed").toString())
        .contains(id);
    assertThat(bob.subscriptions().list().subscriptions()).noneMatch(s -> s.id().equals(id));

    assertThat(refused("unsubscribe", Map.of("pattern", pattern))).contains("matches none");
    assertThat(refused("unsubscribe", Map.of())).contains("subscription_id", "pattern");
    assertThat(refused("unsubscribe", Map.of("subscription_id", "nope"))).startsWith("not found");
  }

  @Test
  void listTopicsShowsAPageAndSaysHowToSeeTheRest() {
    String prefix = "many-" + bobAgent.id() + ".";
    int total = TopicTools.MAX_TOPICS + 30;
    for (int i = 0; i < total; i++) {
      bob.topics().create(prefix + String.format("t%03d", i), TopicSettings.inheritAll());
    }

    JsonNode first = ok("list_topics", Map.of("prefix", prefix));
    assertThat(first.path("topics")).hasSize(TopicTools.MAX_TOPICS);
    assertThat(first.path("notes").get(0).asString()).contains("cursor");
    String cursor = first.path("next_cursor").asString();
    JsonNode rest = ok("list_topics", Map.of("prefix", prefix, "cursor", cursor));

    assertThat(rest.path("topics")).hasSize(30);
    assertThat(rest.path("topics").get(0).path("name").asString())
        .isEqualTo(prefix + String.format("t%03d", TopicTools.MAX_TOPICS));
    assertThat(rest.has("next_cursor")).isFalse();
  }

  @Test
  void agentsAreListedLookedUpAndAProfileIsUpdated() {
    JsonNode updated =
        ok(
            "update_profile",
            Map.of(
                "display_name", "Bob", "description", "Answers questions", "tags", List.of("qa")));
    assertThat(updated.path("display_name").asString()).isEqualTo("Bob");
    // Only the fields given change; an empty string clears one.
    JsonNode again = ok("update_profile", Map.of("model", "m1", "display_name", ""));
    assertThat(again.has("display_name")).isFalse();
    assertThat(again.path("description").asString()).isEqualTo("Answers questions");
    assertThat(again.path("model").asString()).isEqualTo("m1");

    JsonNode listed = ok("list_agents", Map.of("tag", "qa"));
    assertThat(listed.path("agents")).hasSize(1);
    assertThat(listed.path("agents").get(0).path("agent_id").asString()).isEqualTo(bobAgent.id());
    String aliceId = alice.agents().whoami().id();
    JsonNode found = ok("get_agent", Map.of("agent_id", aliceId));
    assertThat(found.path("agent_id").asString()).isEqualTo(aliceId);
    assertThat(found.has("roles")).isFalse(); // another agent's roles are not shown

    assertThat(refused("update_profile", Map.of("tags", List.of("no way")))).contains("tags");
    assertThat(refused("get_agent", Map.of())).contains("agent_id");
    assertThat(refused("get_agent", Map.of("agent_id", "nobody-here"))).isNotBlank();
  }

  @Test
  void topicsAreCreatedListedJoinedAndLeft() {
    String name = "proj-" + bobAgent.id() + ".design";

    JsonNode created = ok("create_topic", Map.of("name", name, "description", "design talk"));
    assertThat(created.path("name").asString()).isEqualTo(name);
    JsonNode listed = ok("list_topics", Map.of("prefix", "proj-" + bobAgent.id()));
    assertThat(listed.path("topics").get(0).path("description").asString())
        .isEqualTo("design talk");
    JsonNode joined = ok("join_topic", Map.of("name", name));
    assertThat(joined.path("pattern").asString()).isEqualTo(name);
    assertThat(bob.topics().get(name).stats().subscribers()).isEqualTo(1);
    assertThat(ok("leave_topic", Map.of("name", name)).path("left").asString()).isEqualTo(name);
    assertThat(bob.topics().get(name).stats().subscribers()).isZero();

    assertThat(refused("create_topic", Map.of("name", "a..b"))).contains("refused as invalid");
    assertThat(refused("list_topics", Map.of("prefix", 7))).contains("prefix");
    assertThat(refused("join_topic", Map.of("name", "bad name"))).contains("refused as invalid");
    assertThat(refused("leave_topic", Map.of())).contains("name");
  }

  @Test
  void theInboxResourceSummarisesUnreadMail() {
    alice.messages().send(Draft.direct(bobAgent.id()).text("resource"));

    McpSchema.ReadResourceResult r =
        mcp.readResource(new McpSchema.ReadResourceRequest(MailroomMcp.INBOX_URI));

    JsonNode summary = Json.mapper().readTree(text(r.contents().get(0)));
    assertThat(summary.path("unread").asInt()).isEqualTo(1);
    assertThat(summary.path("messages").get(0).path("payload").asString()).isEqualTo("resource");
  }

  @Test
  void aSubscriberToTheInboxIsToldWhenMailArrives() {
    mcp.subscribeResource(new McpSchema.SubscribeRequest(MailroomMcp.INBOX_URI));

    String id = alice.messages().send(Draft.direct(bobAgent.id()).text("news for bob")).id();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                updates.stream()
                    .flatMap(List::stream)
                    .anyMatch(c -> c.uri().equals(MailroomMcp.INBOX_URI) && text(c).contains(id)));
  }

  @Test
  void aPayloadAtTheServersLimitIsShownByTheToolsAndTheInboxResource() {
    String deep = nested(JsonLimits.MAX_DEPTH);
    String id = alice.messages().send(Draft.direct(bobAgent.id()).jsonText(deep)).id();

    JsonNode inbox = ok("check_inbox", Map.of());
    assertThat(inbox.path("messages").get(0).path("id").asString()).isEqualTo(id);
    assertThat(inbox.path("messages").get(0).path("payload_chars").asInt())
        .isEqualTo(deep.length());
    JsonNode listed = ok("read_messages", Map.of("full", true));
    assertThat(listed.path("messages").get(0).path("payload").asString()).isEqualTo(deep);
    JsonNode byId = ok("read_messages", Map.of("ids", List.of(id), "full", true));
    assertThat(byId.path("messages").get(0).path("payload").asString()).isEqualTo(deep);
    JsonNode summary = inboxResource();
    assertThat(summary.path("messages").get(0).path("id").asString()).isEqualTo(id);

    String tooDeep =
        refused(
            "send_message",
            Map.of(
                "to",
                alice.agents().whoami().id(),
                "payload",
                nested(JsonLimits.MAX_DEPTH + 1),
                "content_type",
                "application/json"));
    assertThat(tooDeep)
        .contains("payload: is nested deeper than 1000 levels")
        .doesNotContain("StreamReadConstraints", "`");
  }

  @Test
  void aMessageTheToolsCannotDecodeIsLeftOutAndNamedInANote() {
    String before = alice.messages().send(Draft.direct(bobAgent.id()).text("before")).id();
    String bad =
        alice.messages().send(Draft.direct(bobAgent.id()).json(UndecodableMessages.MARKER)).id();
    String after = alice.messages().send(Draft.direct(bobAgent.id()).text("after")).id();
    String why = bad + " (payload: is nested deeper than 1007 levels)";

    JsonNode inbox = ok("check_inbox", Map.of());
    assertThat(inbox.path("unread").asInt()).isEqualTo(3);
    assertThat(ids(inbox)).containsExactly(before, after);
    assertThat(notes(inbox)).contains("cannot decode", why);
    JsonNode read = ok("read_messages", Map.of());
    assertThat(ids(read)).containsExactly(before, after);
    assertThat(notes(read)).contains(why);
    JsonNode summary = inboxResource();
    assertThat(ids(summary)).containsExactly(before, after);
    assertThat(notes(summary)).contains(why);

    JsonNode byId = ok("read_messages", Map.of("ids", List.of(before, bad)));
    assertThat(ids(byId)).containsExactly(before);
    assertThat(notes(byId)).contains("not shown: " + bad, "cannot decode Mailroom's answer");
    assertThat(refused("read_messages", Map.of("ids", List.of(bad))))
        .contains("cannot decode", "payload: is nested deeper than 1007 levels")
        .doesNotContain("StreamReadConstraints", "`");

    assertThat(ok("mark_read", Map.of("ids", List.of(bad))).path("marked_read").toString())
        .contains(bad);
  }

  @Test
  void sendMessageAndReplyAttachUploadsByIdAndNameWhatIsWrongWithAnAttachment() throws IOException {
    String aliceId = alice.agents().whoami().id();
    Path log = Files.writeString(files.resolve("run.log"), "step 1 ok\nstep 2 failed\n");
    String blob = bob.uploads().upload(log, text()).id();

    JsonNode sent =
        ok(
            "send_message",
            Map.of(
                "to", aliceId, "attachments", List.of(Map.of("blob_id", blob, "name", "a.log"))));
    MessageView got = alice.messages().get(sent.path("id").asString());
    assertThat(got.payload().asString()).isEmpty();
    assertThat(got.attachments())
        .extracting(AttachmentView::name, AttachmentView::contentType, AttachmentView::size)
        .containsExactly(tuple("a.log", "text/plain", Files.size(log)));
    JsonNode replied =
        ok(
            "reply",
            Map.of(
                "message_id",
                alice.messages().send(Draft.direct(bobAgent.id()).text("the log?")).id(),
                "payload",
                "here",
                "attachments",
                List.of(Map.of("blob_id", blob))));
    assertThat(alice.messages().get(replied.path("id").asString()).attachments())
        .extracting(AttachmentView::name)
        .containsExactly("run.log");

    assertThat(refused("send_message", Map.of("to", aliceId, "attachments", List.of(Map.of()))))
        .contains("attachments[0]", "'blob_id'", "'path'");
    assertThat(
            refused(
                "send_message",
                Map.of(
                    "to",
                    aliceId,
                    "attachments",
                    List.of(Map.of("blob_id", blob), Map.of("blob_id", blob, "path", "x.txt")))))
        .contains("attachments[1]", "exactly one");
    assertThat(
            refused(
                "send_message",
                Map.of(
                    "to",
                    aliceId,
                    "content_type",
                    "text/markdown",
                    "attachments",
                    List.of(Map.of("blob_id", blob)))))
        .contains("content_type", "payload");
    assertThat(refused("send_message", Map.of("to", aliceId, "attachments", List.of())))
        .contains("attachments");
    assertThat(
            refused(
                "send_message",
                Map.of("to", aliceId, "attachments", List.of(Map.of("blob_id", "0".repeat(32))))))
        .contains("not found");
  }

  @Test
  void readToolsListAttachmentsAndGetAttachmentShowsTheStartOfATextOne() throws IOException {
    String digits = "0123456789".repeat(2_000);
    Path big = Files.writeString(files.resolve("digits.txt"), digits);
    Path png = Files.write(files.resolve("dot.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0});
    String id =
        alice
            .messages()
            .send(
                Draft.direct(bobAgent.id())
                    .text("two files")
                    .attach(alice.uploads().upload(big, text()))
                    .attach(alice.uploads().upload(png)))
            .id();
    String plain = alice.messages().send(Draft.direct(bobAgent.id()).text("none")).id();

    JsonNode read = ok("read_messages", Map.of("ids", List.of(id)));
    JsonNode listed = read.path("messages").get(0).path("attachments");
    assertThat(listed).hasSize(2);
    assertThat(listed.get(0).path("name").asString()).isEqualTo("digits.txt");
    assertThat(listed.get(0).path("size").asLong()).isEqualTo(20_000);
    assertThat(listed.get(1).path("n").asInt()).isEqualTo(1);
    assertThat(notes(read)).contains("get_attachment");
    assertThat(notes(ok("check_inbox", Map.of()))).contains("get_attachment");

    JsonNode start = ok("get_attachment", Map.of("message_id", id));
    assertThat(start.path("text").asString()).isEqualTo(digits.substring(0, 8_000));
    assertThat(start.path("shown_chars").asInt()).isEqualTo(8_000);
    assertThat(notes(start)).contains("shown: the first 8,000 characters", "20,000 bytes");
    JsonNode ten = ok("get_attachment", Map.of("message_id", id, "n", 0, "max_chars", 10));
    assertThat(ten.path("text").asString()).isEqualTo("0123456789");
    JsonNode binary = ok("get_attachment", Map.of("message_id", id, "n", 1));
    assertThat(binary.path("binary").asBoolean()).isTrue();
    assertThat(binary.has("text")).isFalse();
    assertThat(notes(binary)).contains("image/png is not text");

    assertThat(refused("get_attachment", Map.of("message_id", id, "n", 2)))
        .contains("'n'", "has 2");
    assertThat(refused("get_attachment", Map.of("message_id", plain))).contains("has none");
    assertThat(refused("get_attachment", Map.of("message_id", id, "overwrite", true)))
        .contains("overwrite");
    assertThat(refused("get_attachment", Map.of("message_id", id, "max_chars", 0)))
        .contains("max_chars");
    assertThat(refused("get_attachment", Map.of("message_id", "0000000000000")))
        .contains("not found");
    assertThat(refused("get_attachment", Map.of())).contains("message_id");
  }

  @Test
  void getAttachmentShowsASmallTextFileWhole() throws IOException {
    Path json = Files.writeString(files.resolve("score.json"), "{\"score\":1}");
    String id =
        alice
            .messages()
            .send(
                Draft.direct(bobAgent.id())
                    .attach(
                        alice
                            .uploads()
                            .upload(json, UploadOptions.builder().contentType(Draft.JSON).build())))
            .id();

    JsonNode whole = ok("get_attachment", Map.of("message_id", id));

    assertThat(whole.path("text").asString()).isEqualTo("{\"score\":1}");
    assertThat(whole.path("content_type").asString()).isEqualTo("application/json");
    assertThat(notes(whole)).contains("the whole attachment is shown");
  }

  /** Another agent than the MCP client's, to send it mail. */
  MailroomClient alice() {
    return alice;
  }

  /** The MCP client. */
  McpSyncClient mcp() {
    return mcp;
  }

  /** The agent the MCP client acts as. */
  AgentCreated mcpAgent() {
    return bobAgent;
  }

  static UploadOptions text() {
    return UploadOptions.builder().contentType(Draft.TEXT).build();
  }

  private JsonNode inboxResource() {
    McpSchema.ReadResourceResult r =
        mcp.readResource(new McpSchema.ReadResourceRequest(MailroomMcp.INBOX_URI));
    return Json.mapper().readTree(text(r.contents().get(0)));
  }

  private static List<String> ids(JsonNode result) {
    return StreamSupport.stream(result.path("messages").spliterator(), false)
        .map(m -> m.path("id").asString())
        .toList();
  }

  @Test
  void reserveFilesSaysWhoHoldsWhatAndReleaseFilesFreesThem() {
    String project = "mcp-" + bobAgent.id();
    var held =
        (dev.mailroom.client.Reservations.Outcome.Granted)
            alice
                .reservations()
                .reserve(
                    project,
                    List.of("src/**"),
                    true,
                    Optional.empty(),
                    Optional.of("alice's refactoring"));

    JsonNode refused =
        ok("reserve_files", Map.of("project", project, "paths", List.of("src/A.java")));
    assertThat(refused.path("reserved").asBoolean()).isFalse();
    JsonNode conflict = refused.path("conflicts").get(0);
    assertThat(conflict.path("holder").asString()).isEqualTo(held.reservation().holder());
    assertThat(conflict.path("reservation_id").asString()).isEqualTo(held.reservation().id());
    assertThat(conflict.path("reason").asString()).isEqualTo("alice's refactoring");
    assertThat(notes(refused)).contains("do not edit");
    assertThat(ok("list_reservations", Map.of("project", project)).path("reservations")).hasSize(1);

    alice.reservations().release(held.reservation().id());
    JsonNode granted =
        ok(
            "reserve_files",
            Map.of("project", project, "paths", List.of("src/A.java"), "ttl_seconds", 600));
    assertThat(granted.path("reserved").asBoolean()).isTrue();
    String id = granted.path("reservation").path("reservation_id").asString();
    assertThat(ok("release_files", Map.of("project", project)).path("released").toString())
        .contains(id);
    assertThat(ok("list_reservations", Map.of("project", project)).path("reservations")).isEmpty();

    assertThat(refused("reserve_files", Map.of("project", project, "paths", List.of("../x"))))
        .contains("paths[0]");
    assertThat(refused("release_files", Map.of())).contains("reservation_id", "project");
  }

  private McpSchema.CallToolResult call(String tool, Map<String, ?> args) {
    return mcp.callTool(new McpSchema.CallToolRequest(tool, new HashMap<>(args)));
  }

  /** Calls a tool that must succeed and answers its JSON result. */
  JsonNode ok(String tool, Map<String, ?> args) {
    McpSchema.CallToolResult r = call(tool, args);
    assertThat(r.isError()).as("%s %s: %s", tool, args, r.content()).isFalse();
    return Json.mapper().readTree(text(r));
  }

  /** Calls a tool that must fail cleanly and answers its message. */
  String refused(String tool, Map<String, ?> args) {
    McpSchema.CallToolResult r = call(tool, args);
    assertThat(r.isError()).as("%s %s: %s", tool, args, r.content()).isTrue();
    return text(r);
  }

  static String notes(JsonNode result) {
    StringBuilder s = new StringBuilder();
    result.path("notes").forEach(n -> s.append(n.asString()).append('\n'));
    return s.toString();
  }

  static String text(McpSchema.CallToolResult r) {
    assertThat(r.content()).hasSize(1);
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  static String text(McpSchema.ResourceContents c) {
    return ((McpSchema.TextResourceContents) c).text();
  }
}
