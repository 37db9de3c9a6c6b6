package dev.mailroom.cli;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Priority;
import dev.mailroom.client.UploadOptions;
import dev.mailroom.protocol.AskResponse;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.UploadView;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code mailroom send}: one message, to a mailbox, a topic or everyone. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send a message: to an agent or shared mailbox (TARGET), a topic (--topic) or every agent"
          + " (--broadcast). The payload is TEXT, or --file, or standard input; with --attach it is"
          + " TEXT or --file, or none (standard input is not read).",
      "",
      "  mailroom send bob 'Review PR 42?' --priority high --tag review",
      "  mailroom send --topic ai.models.gpt4 --type json '{\"score\":0.93}'",
      "  git diff | mailroom send bob --type code --language diff",
      "  mailroom send --jsonl messages.jsonl",
      "  mailroom send bob 'the failing run' --attach build.log --attach core.dump"
    })
final class SendCommand extends ClientCommand {
  static final int MAX_WAIT_REPLY = 60;

  static final class Route {
    @Option(names = "--topic", paramLabel = "NAME", description = "Send to this topic.")
    @Nullable String topic;

    @Option(names = "--broadcast", description = "Send to every agent but yourself.")
    boolean broadcast;
  }

  @ArgGroup(exclusive = true)
  @Nullable Route route;

  @Parameters(
      arity = "0..2",
      paramLabel = "TARGET TEXT",
      description = "The mailbox (unless --topic or --broadcast), then the text.")
  List<String> words = new ArrayList<>();

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "text (default), markdown, code, json, binary, uri, or a full content type.")
  String type = "text";

  @Option(
      names = "--language",
      paramLabel = "LANG",
      description = "For --type code: java, c++, ...")
  @Nullable String language;

  @Option(names = "--file", paramLabel = "PATH", description = "Read the payload from a file.")
  @Nullable Path file;

  @Option(
      names = "--attach",
      paramLabel = "FILE",
      description =
          "Attach a file (repeatable): each is uploaded in parts (resumed by itself after a"
              + " broken connection, with a progress bar when standard error is a terminal),"
              + " then the message goes out carrying them.")
  List<Path> attach = new ArrayList<>();

  @Option(
      names = "--jsonl",
      paramLabel = "PATH",
      description =
          "Send every line of this file (- for standard input) as one message: a JSON object as"
              + " POST /v1/messages takes, with its own target and fields. Sent in order, in"
              + " batches of 100, each stored in one commit.")
  @Nullable String jsonl;

  @Option(names = "--priority", paramLabel = "P", description = "low, normal, high or urgent.")
  @Nullable Priority priority;

  @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata (repeatable).")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "How long it lives: 90s, 10m, 2h, 7d.")
  @Nullable Duration ttl;

  @Option(names = "--thread", paramLabel = "ID", description = "The conversation thread.")
  @Nullable String thread;

  @Option(
      names = "--wait-reply",
      paramLabel = "SECONDS",
      description =
          "Wait up to this long (1-60) for the first reply in the message's thread and print it;"
              + " exit 14 if none came (the message stays sent).")
  @Nullable Integer waitReply;

  @Option(
      names = "--ack-required",
      description =
          "Ask the recipient to acknowledge it ('mailroom read --ack' or the MCP acknowledge tool);"
              + " an acknowledgement or a reply meets it. Follow it with 'mailroom receipts ID'.")
  boolean ackRequired;

  @Option(
      names = "--reply-by",
      paramLabel = "WHEN",
      converter = Deadlines.class,
      description =
          "A deadline for the reply (with --ack-required, the acknowledgement): a date-time"
              + " (2026-12-07T17:00:00Z) or a duration from now (30m, 2h). Past it, it is overdue"
              + " and you get one notice.")
  @Nullable Instant replyBy;

  @Option(names = "--reply-to", paramLabel = "MESSAGE", description = "The message it answers.")
  @Nullable String replyTo;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Repeating a send with the same key stores nothing new.")
  @Nullable String idempotencyKey;

  @Override
  ExitCode run(MailroomClient client, Output out) throws IOException {
    if (jsonl != null) {
      if (!words.isEmpty() || route != null || file != null || !attach.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            "--jsonl takes no TARGET, TEXT, --topic, --broadcast, --file or --attach");
      }
      return new JsonLinesSender(client, out, terminal()).send(jsonl);
    }
    Draft draft = routed();
    List<String> rest =
        route == null ? words.subList(Math.min(1, words.size()), words.size()) : words;
    if (rest.size() > 1) {
      throw new ParameterException(spec.commandLine(), "Too many arguments: " + words);
    }
    for (Path f : attach) {
      if (!Files.isRegularFile(f)) {
        throw new ParameterException(spec.commandLine(), "--attach " + f + ": no such file");
      }
    }
    String text = rest.isEmpty() ? null : rest.getFirst();
    if (attach.isEmpty() || text != null || file != null) {
      payload(draft, text);
    }
    Optional.ofNullable(priority).ifPresent(draft::priority);
    draft.tag(tags.toArray(String[]::new));
    if (!metadata.isEmpty()) {
      draft.metadata(metadata);
    }
    Optional.ofNullable(ttl).ifPresent(draft::ttl);
    Optional.ofNullable(thread).ifPresent(draft::threadId);
    Optional.ofNullable(replyTo).ifPresent(draft::inReplyTo);
    Optional.ofNullable(idempotencyKey).ifPresent(draft::idempotencyKey);
    if (ackRequired) {
      draft.ackRequired();
    }
    Optional.ofNullable(replyBy).ifPresent(draft::replyBy);
    for (Path f : attach) {
      draft.attach(upload(client, f));
    }
    if (waitReply != null) {
      return ask(client, draft, out);
    }
    SendResponse sent = client.messages().send(draft);
    out.either(
        sent,
        "sent "
            + sent.id()
            + " ("
            + sent.recipients()
            + (sent.recipients() == 1 ? " recipient" : " recipients")
            + (sent.spooled().orElse(false) ? ", spooled)" : ")")
            + (attach.isEmpty()
                ? ""
                : " with " + attach.size() + (attach.size() == 1 ? " attachment" : " attachments"))
            + (sent.duplicate().orElse(false) ? " [duplicate: sent before with this key]" : ""));
    return ExitCode.OK;
  }

  /** Sends and waits for the first reply in the thread: {@code --wait-reply}. */
  private ExitCode ask(MailroomClient client, Draft draft, Output out) {
    if (waitReply < 1 || waitReply > MAX_WAIT_REPLY) {
      throw new ParameterException(
          spec.commandLine(), "--wait-reply must be between 1 and " + MAX_WAIT_REPLY + " seconds");
    }
    AskResponse asked = client.messages().ask(draft, Duration.ofSeconds(waitReply));
    if (out.json()) {
      out.json(asked);
    } else {
      out.line("sent " + asked.sent().id() + ", thread " + asked.threadId());
      if (asked.reply().isPresent()) {
        out.line("");
        Formats.full(asked.reply().get()).forEach(out::line);
      }
    }
    if (asked.timedOut()) {
      terminal().err().println("no reply within " + waitReply + " s");
      return ExitCode.NO_REPLY;
    }
    return ExitCode.OK;
  }

  /** Uploads one file, with a progress bar on a terminal, and answers the blob. */
  private UploadView upload(MailroomClient client, Path f) {
    Path name = f.getFileName();
    try (TransferBar bar = new TransferBar(terminal(), "uploading " + name)) {
      return client.uploads().upload(f, UploadOptions.builder().progress(bar).build());
    }
  }

  private Draft routed() {
    if (route != null && route.broadcast) {
      return Draft.broadcast();
    }
    if (route != null && route.topic != null) {
      return Draft.topic(route.topic);
    }
    if (words.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "Missing TARGET (or --topic NAME, or --broadcast)");
    }
    return Draft.direct(words.getFirst());
  }

  private void payload(Draft draft, @Nullable String text) throws IOException {
    if (text != null && file != null) {
      throw new ParameterException(spec.commandLine(), "Give TEXT or --file, not both");
    }
    byte[] bytes =
        text != null
            ? text.getBytes(StandardCharsets.UTF_8)
            : file != null ? Files.readAllBytes(file) : stdin();
    String s = new String(bytes, StandardCharsets.UTF_8);
    switch (type) {
      case "text" -> draft.text(s);
      case "markdown" -> draft.markdown(s);
      case "code" -> {
        if (language == null) {
          throw new ParameterException(spec.commandLine(), "--type code needs --language");
        }
        draft.code(language, s);
      }
      case "json" -> draft.jsonText(s);
      case "binary" -> draft.binary(bytes);
      case "uri" -> draft.uri(URI.create(s.strip()));
      default -> draft.payload(type, Json.mapper().getNodeFactory().stringNode(s));
    }
  }

  private byte[] stdin() throws IOException {
    InputStream in = terminal().in();
    return in.readAllBytes();
  }
}
