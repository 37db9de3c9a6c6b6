package dev.mailroom.cli;

import static dev.mailroom.client.JsonTrees.nested;
import static dev.mailroom.protocol.JsonLimits.depth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.client.UndecodableMessages;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.protocol.SkippedMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code inbox}, {@code read}, {@code watch} and {@code dlq} against a server configured with the
 * largest JSON limits a server accepts, whose store also keeps messages no client can decode: what
 * the server accepts is shown, and a message the CLI cannot decode is skipped and named on standard
 * error without failing the rest.
 */
class JsonLimitsIT {
  @RegisterExtension
  static final TestServer server =
      TestServer.storingUndecodableMessages(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(100), 2, 0)));

  private static final String MARKER = UndecodableMessages.MARKER.toString();

  private static String idOf(Cli.Result sent) {
    assertThat(sent.exit()).as("%s", sent).isZero();
    return Json.mapper().readTree(sent.out()).get("id").asString();
  }

  private static String skippedLine(String id, String reason) {
    return "mailroom: skipped " + id + ", which this client cannot decode: " + reason;
  }

  @Test
  void aPayloadAtTheServersLimitIsShownByInboxReadAndWatch() throws Exception {
    AgentCreated reader = server.newAgent("reader");
    Cli asSender = Cli.as(server, server.newAgent("sender").token());
    Cli asReader = Cli.as(server, reader.token());
    CompletableFuture<Cli.Result> watching =
        CompletableFuture.supplyAsync(() -> asReader.run("watch", "--count", "1", "--json"));

    String id =
        idOf(
            asSender.run(
                "send", reader.id(), "--type", "json", nested(JsonLimits.MAX_DEPTH), "--json"));
    Cli.Result tooDeep =
        asSender.run("send", reader.id(), "--type", "json", nested(JsonLimits.MAX_DEPTH + 1));
    assertThat(tooDeep.exit()).as("%s", tooDeep).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(tooDeep.err()).contains("payload: is nested deeper than 1000 levels");

    Cli.Result watched = watching.get(60, TimeUnit.SECONDS);
    assertThat(watched.exit()).as("%s", watched).isZero();
    assertThat(depth(Json.mapper().readTree(watched.out()).at("/message/payload")))
        .isEqualTo(JsonLimits.MAX_DEPTH);

    Cli.Result page = asReader.run("inbox", "--json");
    assertThat(page.exit()).as("%s", page).isZero();
    assertThat(depth(Json.mapper().readTree(page.out()).at("/messages/0/payload")))
        .isEqualTo(JsonLimits.MAX_DEPTH);
    Cli.Result listed = asReader.run("inbox");
    assertThat(listed.out()).contains(id).contains("[[[[");

    Cli.Result read = asReader.run("read", id);
    assertThat(read.exit()).as("%s", read).isZero();
    assertThat(read.out()).contains(nested(JsonLimits.MAX_DEPTH));
  }

  @Test
  void inboxAndReadShowWhatTheyCanAndNameWhatTheyCannotDecode() {
    AgentCreated reader = server.newAgent("reader");
    Cli asSender = Cli.as(server, server.newAgent("sender").token());
    Cli asReader = Cli.as(server, reader.token());
    String before = idOf(asSender.run("send", reader.id(), "before", "--json"));
    String bad = idOf(asSender.run("send", reader.id(), "--type", "json", MARKER, "--json"));
    String after = idOf(asSender.run("send", reader.id(), "after", "--json"));
    String skipped = skippedLine(bad, "payload: is nested deeper than 1007 levels");

    Cli.Result inbox = asReader.run("inbox");
    assertThat(inbox.exit()).as("%s", inbox).isZero();
    assertThat(inbox.out().lines()).hasSize(2);
    assertThat(inbox.out()).contains(before).contains(after).doesNotContain(bad);
    assertThat(inbox.err()).contains(skipped);

    Cli.Result all = asReader.run("inbox", "--all", "--limit", "1", "--json");
    assertThat(all.exit()).as("%s", all).isZero();
    assertThat(all.out().lines().map(l -> Json.mapper().readTree(l).get("id").asString()))
        .containsExactly(before, after);
    assertThat(all.err()).contains(skipped);

    Cli.Result json = asReader.run("inbox", "--json");
    assertThat(json.exit()).as("%s", json).isZero();
    JsonNode page = Json.mapper().readTree(json.out());
    assertThat(page.get("messages")).hasSize(2);
    assertThat(page.at("/skipped/0/id").asString()).isEqualTo(bad);

    Cli.Result read = asReader.run("read", before, bad, after);
    assertThat(read.exit()).as("%s", read).isEqualTo(ExitCode.SERVER_ERROR.code());
    assertThat(read.out()).contains("before").contains("after");
    assertThat(read.err())
        .contains("mailroom: " + bad + ": ")
        .contains("payload: is nested deeper than 1007 levels")
        .doesNotContain("StreamReadConstraints", "`");
    assertThat(asReader.run("inbox", "--count").out().strip()).isEqualTo("1");
  }

  @Test
  void watchSkipsWhatItCannotDecodeWithoutReconnectingAndTheDeadLetterCanBeHandled()
      throws Exception {
    AgentCreated reader = server.newAgent("reader");
    Cli asSender = Cli.as(server, server.newAgent("sender").token());
    Cli asReader = Cli.as(server, reader.token());
    MailroomClient readerClient = server.client(reader);
    CompletableFuture<Cli.Result> watching =
        CompletableFuture.supplyAsync(() -> asReader.run("watch", "--count", "1"));
    String bad = idOf(asSender.run("send", reader.id(), "--type", "json", MARKER, "--json"));
    // Skipped, never acknowledged: pushed again until its last attempt, then dead-lettered.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                readerClient.deadLetters().list(10).skipped().stream()
                    .map(SkippedMessage::id)
                    .anyMatch(i -> i.equals(java.util.Optional.of(bad))));
    String after = idOf(asSender.run("send", reader.id(), "after", "--json"));

    Cli.Result watched = watching.get(60, TimeUnit.SECONDS);
    assertThat(watched.exit()).as("%s", watched).isZero();
    assertThat(watched.out().lines()).singleElement().asString().contains(after);
    assertThat(watched.err())
        .contains("mailroom: skipped " + bad + ", which this client cannot decode")
        .contains("moves it to the dead letters")
        .doesNotContain("reconnecting", "connection ended");

    Cli.Result letters = asReader.run("dlq", "list");
    assertThat(letters.exit()).as("%s", letters).isZero();
    assertThat(letters.err()).contains("mailroom: skipped " + bad);
    assertThat(asReader.run("dlq", "purge", bad).exit()).isZero();
    assertThat(asReader.run("dlq", "list").err()).contains("no dead letters");
  }
}
