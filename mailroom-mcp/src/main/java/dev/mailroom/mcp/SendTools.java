package dev.mailroom.mcp;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Priority;
import dev.mailroom.protocol.AskResponse;
import dev.mailroom.protocol.SendBatchRequest;
import dev.mailroom.protocol.SendResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * send_message, send_messages and reply. A message may carry attachments ({@link SendAttachments});
 * whether they may name files by path is the {@link LocalFiles} the tools are made with.
 */
final class SendTools {
  static final List<String> CONTENT_TYPES =
      List.of(Draft.TEXT, Draft.MARKDOWN, Draft.CODE, Draft.JSON, Draft.BINARY, Draft.URI_LIST);
  private static final int MAX_TTL_SECONDS = (int) Duration.ofDays(3650).toSeconds();

  private SendTools() {}

  static final int DEFAULT_ASK_SECONDS = 30;
  static final int MAX_ASK_SECONDS = 60;

  static List<Tool> all(LocalFiles files) {
    return List.of(sendMessage(files), sendMessages(files), reply(files), ask(files));
  }

  /** A message to send: its draft, and the attachments to upload and attach before it goes. */
  private record Pending(Draft draft, SendAttachments.Pending attachments) {
    Draft ready(MailroomClient client) {
      return attachments.attachTo(client, draft);
    }
  }

  private static Schema body(Schema s) {
    return SendAttachments.argument(
        s.string(
                "payload",
                "The message body: text; JSON text for application/json; base64 for"
                    + " application/octet-stream; a URI for text/uri-list. Required unless"
                    + " attachments are given; without it the message is empty text/plain.")
            .choice("content_type", "The body's type; default text/plain.", CONTENT_TYPES)
            .string("language", "The programming language of a text/code body, e.g. java.")
            .choice("priority", "Default normal.", Filters.PRIORITIES)
            .strings("tags", "Labels readers can filter on.", Filters.MAX_TAGS)
            .json("metadata", "Any JSON object to carry along (at most 64 KiB)."));
  }

  /** The arguments of one message to send: send_message's, and each item of send_messages'. */
  private static Schema message() {
    return body(Schema.object()
            .choice(
                "mode",
                "direct (the default): to an agent or shared mailbox; topic: to a topic's"
                    + " subscribers; broadcast: to every agent.",
                List.of("direct", "topic", "broadcast"))
            .string(
                "to",
                "The agent id or mailbox name (direct) or the topic name (topic); leave out"
                    + " for a broadcast."))
        .string("thread_id", "The conversation this message belongs to.")
        .string("in_reply_to", "The id of the message this one answers.")
        .integer(
            "ttl_seconds",
            "How long the message lives; default the server's (7 days).",
            1,
            MAX_TTL_SECONDS)
        .string(
            "idempotency_key",
            "A key that makes a retried send safe: the same key again returns the first"
                + " message's id and sends nothing.")
        .bool(
            "ack_required",
            "Ask the recipient to acknowledge it (its acknowledge tool); an acknowledgement or a"
                + " reply then meets what it owes you. Not for broadcasts.")
        .string(
            "reply_by",
            "A deadline for the reply (or, with ack_required, the acknowledgement), as RFC 3339"
                + " with an offset, e.g. 2026-12-07T17:00:00Z. Past it, it shows as overdue on"
                + " both sides and you get one notice in your inbox. Must be in the future and"
                + " before the message expires. Not for broadcasts.")
        .integer(
            "reply_within_seconds",
            "The same deadline given as seconds from now (instead of reply_by).",
            1,
            MAX_TTL_SECONDS);
  }

  static Tool sendMessage(LocalFiles files) {
    return Tool.of(
        "send_message",
        "Send a message",
        "Send a message, with files attached if you like, to an agent or shared mailbox, to a"
            + " topic, or to every agent; answers the new message's id once it is stored. To be"
            + " told whether anyone picked it up, set ack_required and/or reply_by, then check"
            + " get_receipts or list_obligations.",
        Tool.Effect.WRITES,
        message(),
        (client, args) -> send(client, args, files));
  }

  static Tool sendMessages(LocalFiles files) {
    return Tool.of(
        "send_messages",
        "Send several messages",
        "Send up to "
            + SendBatchRequest.MAX_MESSAGES
            + " messages at once, in order, each as send_message takes it; answers their ids once"
            + " all are stored. All or nothing: if one would be refused, none is sent and the"
            + " error names it.",
        Tool.Effect.WRITES,
        Schema.object()
            .objects(
                "messages",
                "The messages, in the order to send them.",
                message(),
                SendBatchRequest.MAX_MESSAGES)
            .required("messages"),
        (client, args) -> sendAll(client, args, files));
  }

  static Tool reply(LocalFiles files) {
    return Tool.of(
        "reply",
        "Reply to a message",
        "Reply to a message: sent directly to its sender, in the same thread.",
        Tool.Effect.WRITES,
        body(Schema.object().string("message_id", "The id of the message to answer."))
            .required("message_id"),
        (client, args) -> answer(client, args, files));
  }

  static Tool ask(LocalFiles files) {
    return Tool.of(
        "ask",
        "Ask and wait for the reply",
        "Send a message, as send_message does, and wait for the first reply in its thread (up to"
            + " timeout_seconds, default "
            + DEFAULT_ASK_SECONDS
            + ", at most "
            + MAX_ASK_SECONDS
            + "): for a question another agent should answer now. Answers the reply, or"
            + " timed_out: true when none came in time; the message stays sent either way, and a"
            + " later reply reaches your inbox as usual (get_thread shows the conversation).",
        Tool.Effect.WRITES,
        message()
            .integer(
                "timeout_seconds",
                "How long to wait for the reply; keep it below your client's request timeout.",
                1,
                MAX_ASK_SECONDS),
        (client, args) -> ask(client, args, files));
  }

  private static String ask(MailroomClient client, Args args, LocalFiles files) {
    int seconds = args.integer("timeout_seconds", 1, MAX_ASK_SECONDS).orElse(DEFAULT_ASK_SECONDS);
    Draft draft = draft(args, files).ready(client);
    AskResponse r = client.messages().ask(draft, Duration.ofSeconds(seconds));
    Rendering rendering = Rendering.of(false);
    ObjectNode result = Rendering.object();
    result.set("sent", answer(r.sent()));
    result.put("thread_id", r.threadId());
    if (r.reply().isPresent()) {
      result.set("reply", rendering.message(r.reply().get()));
    } else {
      result.putNull("reply");
      rendering.note(
          "no reply within "
              + seconds
              + " s; the message stays sent: check later with get_thread thread_id="
              + r.threadId());
    }
    result.put("timed_out", r.timedOut());
    return rendering.write(result);
  }

  private static String send(MailroomClient client, Args args, LocalFiles files) {
    return sent(client.messages().send(draft(args, files).ready(client)));
  }

  private static String sendAll(MailroomClient client, Args args, LocalFiles files) {
    List<Args> items = args.objects("messages", SendBatchRequest.MAX_MESSAGES);
    List<Pending> pending = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        pending.add(draft(items.get(i), files));
      } catch (Args.BadArgument e) {
        throw Args.inItem("messages[" + i + "]", e);
      }
    }
    // Every message's arguments are checked before the first file goes up.
    List<Draft> drafts = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      try {
        drafts.add(pending.get(i).ready(client));
      } catch (Tool.Failure e) {
        throw new Tool.Failure("messages[" + i + "]: " + e.getMessage());
      }
    }
    ArrayNode answers = Rendering.array();
    for (SendResponse r : client.messages().sendAll(drafts)) {
      answers.add(answer(r));
    }
    ObjectNode n = Rendering.object();
    n.set("messages", answers);
    return Rendering.json(n);
  }

  /** The draft one message's arguments describe. */
  private static Pending draft(Args args, LocalFiles files) {
    String mode = args.string("mode").orElse("direct");
    Draft draft =
        switch (mode) {
          case "direct" -> Draft.direct(args.requiredString("to"));
          case "topic" -> Draft.topic(args.requiredString("to"));
          case "broadcast" -> {
            if (args.string("to").isPresent()) {
              throw new Args.BadArgument("to", "must be left out for a broadcast");
            }
            yield Draft.broadcast();
          }
          default ->
              throw new Args.BadArgument(
                  "mode", "must be direct, topic or broadcast, not '" + mode + "'");
        };
    args.string("thread_id").ifPresent(draft::threadId);
    args.string("in_reply_to").ifPresent(draft::inReplyTo);
    args.integer("ttl_seconds", 1, MAX_TTL_SECONDS)
        .ifPresent(s -> draft.ttl(Duration.ofSeconds(s)));
    args.string("idempotency_key").ifPresent(draft::idempotencyKey);
    obligation(draft, args);
    return withBody(draft, args, files);
  }

  /** What the message asks for in return: an acknowledgement, a reply by a deadline. */
  private static void obligation(Draft draft, Args args) {
    if (args.flag("ack_required")) {
      draft.ackRequired();
    }
    Optional<String> by = args.string("reply_by");
    Optional<Integer> within = args.integer("reply_within_seconds", 1, MAX_TTL_SECONDS);
    if (by.isPresent() && within.isPresent()) {
      throw new Args.BadArgument("reply_by", "and reply_within_seconds: give one of them");
    }
    if (by.isPresent()) {
      try {
        draft.replyBy(OffsetDateTime.parse(by.get()).toInstant());
      } catch (DateTimeParseException e) {
        throw new Args.BadArgument(
            "reply_by", "must be RFC 3339 with an offset, e.g. 2026-12-07T17:00:00Z");
      }
    }
    within.ifPresent(s -> draft.replyWithin(Duration.ofSeconds(s)));
  }

  private static String answer(MailroomClient client, Args args, LocalFiles files) {
    String id = args.requiredString("message_id");
    Pending reply = withBody(Draft.replyTo(client.messages().get(id)), args, files);
    return sent(client.messages().send(reply.ready(client)));
  }

  @SuppressWarnings("unchecked")
  private static Pending withBody(Draft draft, Args args, LocalFiles files) {
    SendAttachments.Pending attachments = SendAttachments.read(args, files);
    Optional<String> payload = args.string("payload");
    if (payload.isPresent()) {
      payload(draft, args, payload.get());
    } else if (attachments.isEmpty()) {
      throw new Args.BadArgument("payload", "is required (unless attachments are given)");
    } else {
      for (String name : List.of("content_type", "language")) {
        if (args.string(name).isPresent()) {
          throw new Args.BadArgument(name, "describes the payload: give a payload too");
        }
      }
    }
    args.choice("priority", Priority.class).ifPresent(draft::priority);
    args.strings("tags").forEach(draft::tag);
    args.object("metadata").ifPresent(m -> draft.metadata((Map<String, ?>) m));
    return new Pending(draft, attachments);
  }

  private static void payload(Draft draft, Args args, String payload) {
    String contentType = args.string("content_type").orElse(Draft.TEXT);
    if (!CONTENT_TYPES.contains(contentType)) {
      throw new Args.BadArgument("content_type", "must be one of " + CONTENT_TYPES);
    }
    if (contentType.equals(Draft.CODE)) {
      String language =
          args.string("language")
              .orElseThrow(() -> new Args.BadArgument("language", "is required for text/code"));
      draft.code(language, payload);
    } else if (args.string("language").isPresent()) {
      throw new Args.BadArgument("language", "is only for content_type text/code");
    } else {
      draft.payload(contentType, JsonNodeFactory.instance.stringNode(payload));
    }
  }

  private static String sent(SendResponse r) {
    return Rendering.json(answer(r));
  }

  private static ObjectNode answer(SendResponse r) {
    ObjectNode n = Rendering.object();
    n.put("id", r.id());
    n.put("timestamp", r.timestamp().toString());
    n.put("recipients", r.recipients());
    r.duplicate()
        .filter(d -> d)
        .ifPresent(
            d -> n.put("note", "a message with this idempotency_key was sent before: this is it"));
    r.spooled()
        .filter(sp -> sp)
        .ifPresent(
            sp -> {
              n.put("spooled", true);
              n.put(
                  "note",
                  "the server's store is down: the message is kept on the server and will be"
                      + " stored under this id, and delivered, when the store is back");
            });
    return n;
  }
}
