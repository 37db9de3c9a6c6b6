package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.Draft;
import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessageView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code send}, {@code inbox} and {@code read} against a real server. */
class MessageCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static String idOf(Cli.Result sent) {
    return Json.mapper().readTree(sent.out()).get("id").asString();
  }

  @Test
  void sendPutsEveryKindOfMessageWhereItIsAddressed() {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());

    Cli.Result text =
        asAlice.run(
            "send",
            bob.id(),
            "Review PR 42?",
            "--priority",
            "high",
            "--tag",
            "review",
            "--tag",
            "pr:42",
            "--meta",
            "repo=mailroom",
            "--ttl",
            "1d",
            "--thread",
            "t-1");
    assertThat(text.exit()).as("%s", text).isZero();
    assertThat(text.out()).startsWith("sent ").contains("(1 recipient)");

    Cli.Result json = asAlice.run("send", bob.id(), "--type", "json", "{\"score\":0.93}", "--json");
    assertThat(json.exit()).as("%s", json).isZero();
    Cli.Result code =
        asAlice
            .stdin("print(42)\n")
            .run("send", bob.id(), "--type", "code", "--language", "python", "--json");
    assertThat(code.exit()).as("%s", code).isZero();
    Cli.Result topic = asAlice.run("send", "--topic", "cli.news", "hello topic", "--json");
    assertThat(topic.exit()).as("%s", topic).isZero();
    Cli.Result broadcast = asAlice.run("send", "--broadcast", "deploy at 14:00", "--json");
    assertThat(broadcast.exit()).as("%s", broadcast).isZero();

    MailroomClient bobClient = server.client(bob);
    MessageView asJson = bobClient.messages().get(idOf(json));
    assertThat(asJson.payload().get("score").decimalValue()).isEqualByComparingTo("0.93");
    MessageView asCode = bobClient.messages().get(idOf(code));
    assertThat(asCode.language()).contains("python");
    assertThat(asCode.payload().asString()).isEqualTo("print(42)\n");
    assertThat(bobClient.messages().get(idOf(topic)).target()).contains("cli.news");
    assertThat(bobClient.messages().get(idOf(broadcast)).mode()).isEqualTo("broadcast");

    Cli.Result again = asAlice.run("send", bob.id(), "once", "--idempotency-key", "k-1");
    Cli.Result repeated = asAlice.run("send", bob.id(), "once", "--idempotency-key", "k-1");
    assertThat(repeated.out()).contains("duplicate").contains(again.out().split(" ")[1]);
  }

  @Test
  void sendJsonlSendsEveryLineInOrderInBatchesAndNamesTheLineARefusalIsAbout() {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      lines.append(
          "{\"mode\":\"direct\",\"target\":\""
              + bob.id()
              + "\",\"content_type\":\"text/plain\",\"payload\":\"line "
              + i
              + "\"}\n");
      if (i == 10) {
        lines.append("\n"); // blank lines are skipped
      }
    }

    Cli.Result sent = asAlice.stdin(lines.toString()).run("send", "--jsonl", "-");

    assertThat(sent.exit()).as("%s", sent).isZero();
    assertThat(sent.out()).endsWith("sent 150 messages\n");
    List<String> ids = sent.out().lines().limit(150).toList();
    assertThat(ids).doesNotHaveDuplicates().isSorted();
    MailroomClient bobClient = server.client(bob);
    assertThat(bobClient.messages().get(ids.getFirst()).payload().asString()).isEqualTo("line 0");
    assertThat(bobClient.messages().get(ids.getLast()).payload().asString()).isEqualTo("line 149");

    String good =
        "{\"mode\":\"direct\",\"target\":\""
            + bob.id()
            + "\",\"content_type\":\"text/plain\",\"payload\":\"ok\"}\n";
    String refused =
        "{\"mode\":\"direct\",\"target\":\"Not A Name\",\"content_type\":\"text/plain\","
            + "\"payload\":\"no\"}\n";
    Cli.Result bad = asAlice.stdin(good + good + refused).run("send", "--jsonl", "-");
    assertThat(bad.exit()).as("%s", bad).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(bad.err()).contains("line 3 was refused").contains("nothing was sent");
    assertThat(bad.err()).contains("messages[2].target");

    Cli.Result notJson = asAlice.stdin(good + "{oops\n").run("send", "--jsonl", "-");
    assertThat(notJson.exit()).as("%s", notJson).isEqualTo(ExitCode.USAGE.code());
    assertThat(notJson.err()).contains("line 2 is not a message");

    Cli.Result mixed = asAlice.run("send", bob.id(), "--jsonl", "-");
    assertThat(mixed.exit()).as("%s", mixed).isEqualTo(ExitCode.USAGE.code());
  }

  @Test
  void inboxListsFiltersCountsPagesAndWaits() {
    AgentCreated sender = server.newAgent("sender");
    AgentCreated reader = server.newAgent("reader");
    Cli asSender = Cli.as(server, sender.token());
    Cli asReader = Cli.as(server, reader.token());
    for (int i = 0; i < 5; i++) {
      asSender.run("send", reader.id(), "note " + i, "--tag", i % 2 == 0 ? "even" : "odd");
    }

    Cli.Result list = asReader.run("inbox", "--tag", "even");
    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.out().lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("* "));
    assertThat(list.out()).contains("note 0", "note 2", "note 4").doesNotContain("note 1");

    Cli.Result count = asReader.run("inbox", "--count");
    assertThat(count.out().strip()).isEqualTo("5");

    Cli.Result firstPage = asReader.run("inbox", "--limit", "2", "--desc");
    assertThat(firstPage.out().lines()).hasSize(2);
    assertThat(firstPage.out().lines().findFirst().orElseThrow()).contains("note 4");
    assertThat(firstPage.err()).contains("more: --cursor ");

    Cli.Result all = asReader.interactive().run("inbox", "--all", "--limit", "2", "--json");
    assertThat(all.exit()).as("%s", all).isZero();
    List<JsonNode> messages = all.out().lines().map(Json.mapper()::readTree).toList();
    assertThat(messages)
        .extracting(m -> m.get("payload").asString())
        .containsExactly("note 0", "note 1", "note 2", "note 3", "note 4");
    assertThat(all.err()).contains("messages: 5");

    String last = messages.getLast().get("id").asString();
    Cli.Result waited = asReader.run("inbox", "--after", last, "--wait", "1", "--json");
    assertThat(Json.mapper().readTree(waited.out()).get("messages")).isEmpty();

    Cli.Result history = asReader.run("inbox", "--mailbox", reader.id(), "--from", sender.id());
    assertThat(history.out().lines()).hasSize(5);
  }

  @Test
  void threadListsAConversationEverywhereAndThreadsSummariseTheMailbox() {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());
    Cli asBob = Cli.as(server, bob.token());
    String thread = "cli-thread-" + System.nanoTime();
    String first = idOf(asAlice.run("send", bob.id(), "plan?", "--thread", thread, "--json"));
    String second =
        idOf(asAlice.run("send", "cli-desk", "for the desk", "--thread", thread, "--json"));
    String third = idOf(asAlice.run("send", bob.id(), "well?", "--thread", thread, "--json"));
    asAlice.run("send", bob.id(), "elsewhere", "--thread", thread + "-b", "--json");

    Cli.Result all = asBob.run("thread", thread, "--all");
    assertThat(all.exit()).as("%s", all).isZero();
    assertThat(all.out().lines().filter(l -> l.contains(alice.id())).toList())
        .hasSize(3)
        .satisfies(
            lines -> {
              assertThat(lines.get(0)).contains(first).contains("plan?");
              assertThat(lines.get(1)).contains(second).contains("cli-desk");
              assertThat(lines.get(2)).contains(third);
            });
    Cli.Result page = asBob.run("thread", thread, "--desc", "--limit", "1");
    assertThat(page.out()).contains(third).doesNotContain(first);
    assertThat(page.err()).contains("more: --cursor ");

    Cli.Result summary = asBob.run("thread", thread, "--summary");
    assertThat(summary.out())
        .contains(thread + ": 3 messages, 3 unread")
        .contains("participants: " + alice.id());
    Cli.Result threads = asBob.run("threads");
    assertThat(threads.out().lines().skip(1).map(l -> l.split("\\s+")[0]))
        .containsExactly(thread + "-b", thread);
    Cli.Result inbox = asBob.run("inbox", "--thread", thread);
    assertThat(inbox.out()).contains(first).contains(third).doesNotContain(second);
  }

  @Test
  void searchPrintsResultsBestFirstWithSnippetsAndPagesThroughThem() {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());
    Cli asBob = Cli.as(server, bob.token());
    String word = "lychee" + System.nanoTime();
    String once = idOf(asAlice.run("send", bob.id(), word + " once", "--json"));
    String twice = idOf(asAlice.run("send", bob.id(), word + " " + word + " twice", "--json"));
    String tagged =
        idOf(asAlice.run("send", "cli-search-desk", word + " tagged", "--tag", "x", "--json"));

    Cli.Result found = asBob.run("search", word);
    assertThat(found.exit()).as("%s", found).isZero();
    List<String> lines = found.out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).contains(twice).contains(alice.id());
    assertThat(lines.get(1)).isEqualTo("    <<" + word + ">> <<" + word + ">> twice");

    Cli.Result page = asBob.run("search", word, "--limit", "1");
    assertThat(page.out()).contains(twice).doesNotContain(once);
    assertThat(page.err()).contains("more: --cursor ");
    Cli.Result all = asBob.run("search", word, "--all", "--limit", "1", "--json");
    assertThat(
            all.out()
                .lines()
                .map(l -> Json.mapper().readTree(l).get("message").get("id"))
                .map(JsonNode::asString))
        .hasSize(3)
        .startsWith(twice)
        .contains(once, tagged);
    assertThat(asBob.run("search", word, "--tag", "x").out()).contains(tagged).doesNotContain(once);
    Cli.Result refused = asBob.run("search", "\"unclosed");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("quote");
  }

  @Test
  void sendWaitReplyPrintsTheReplyOrExitsFourteen() throws Exception {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());
    MailroomClient bobClient = server.client(bob);
    var answered =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              MessageView q =
                  bobClient
                      .messages()
                      .inbox(ListQuery.all(), java.time.Duration.ofSeconds(30))
                      .messages()
                      .getFirst();
              return bobClient.messages().send(Draft.replyTo(q).text("use main")).id();
            });

    Cli.Result asked = asAlice.run("send", bob.id(), "which branch?", "--wait-reply", "30");

    assertThat(asked.exit()).as("%s", asked).isZero();
    assertThat(asked.out())
        .startsWith("sent ")
        .contains(answered.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .contains("use main");
    Cli.Result unanswered = asAlice.run("send", bob.id(), "anyone?", "--wait-reply", "1");
    assertThat(unanswered.exit()).as("%s", unanswered).isEqualTo(14);
    assertThat(unanswered.err()).contains("no reply within 1 s");
    assertThat(asAlice.run("send", bob.id(), "x", "--wait-reply", "61").exit()).isEqualTo(2);
  }

  @Test
  void readShowsMarksReadOrUnreadAndListsReaders() {
    AgentCreated sender = server.newAgent("r-sender");
    AgentCreated reader = server.newAgent("r-reader");
    Cli asReader = Cli.as(server, reader.token());
    String id =
        idOf(
            Cli.as(server, sender.token())
                .run("send", reader.id(), "line one\nline two", "--json"));

    Cli.Result peek = asReader.run("read", "--keep-unread", id);
    assertThat(peek.out()).contains("from:         " + sender.id()).contains("line one\nline two");
    assertThat(asReader.run("inbox", "--count").out().strip()).isEqualTo("1");

    Cli.Result read = asReader.run("read", id);
    assertThat(read.exit()).as("%s", read).isZero();
    assertThat(asReader.run("inbox", "--count").out().strip()).isEqualTo("0");
    assertThat(asReader.run("inbox").out()).startsWith("  " + id);

    Cli.Result readers = asReader.run("read", "--readers", id);
    assertThat(readers.out()).contains("READER").contains(reader.id());

    Cli.Result unread = asReader.run("read", "--mark-unread", id, "--json");
    assertThat(Json.mapper().readTree(unread.out()).get("read").asBoolean()).isFalse();
    assertThat(asReader.run("inbox", "--count").out().strip()).isEqualTo("1");
  }
}
