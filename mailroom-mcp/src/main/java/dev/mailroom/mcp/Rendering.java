package dev.mailroom.mcp;

import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SkippedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one tool result: compact JSON within a context budget. A payload longer than its limit is
 * cut, with its full length in {@code payload_chars}; messages that would pass the result's budget
 * are left out, and so are messages the client cannot decode; {@code notes} says what was cut or
 * left out and which call gets the rest. A message's attachments are listed by number, name, type
 * and size, and a note says how to fetch them. A name is data like a payload, whoever chose it: it
 * is a JSON string value, never part of a note. Not thread-safe: one per result.
 */
final class Rendering {
  /** Payload characters shown per message by default. */
  static final int PAYLOAD_PREVIEW = 2_000;

  /** Payload characters shown per message when the caller asks for full payloads. */
  static final int PAYLOAD_FULL = 100_000;

  /** Payload characters shown per message in a summary (check_inbox, the inbox resource). */
  static final int PAYLOAD_SUMMARY = 200;

  /** The characters of messages one result holds by default. */
  static final int RESULT_BUDGET = 20_000;

  /** How to fetch what {@code attachments} lists. */
  static final String ATTACHMENTS_NOTE =
      "attachments are listed by n, with their size in bytes: get_attachment with message_id and"
          + " n shows the start of a text attachment, and saves any attachment to a file with"
          + " save_to (mailroom mcp over stdio only); GET /v1/messages/{id}/attachments/{n}"
          + " downloads it";

  private static final int METADATA_PREVIEW = 500;
  private static final JsonMapper MAPPER = Json.mapper();

  private final int payloadChars;
  private final int budget;
  private final List<String> truncated = new ArrayList<>();
  private final List<String> withAttachments = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private int used;

  private Rendering(int payloadChars, int budget) {
    this.payloadChars = payloadChars;
    this.budget = budget;
  }

  /**
   * Payload previews of {@link #PAYLOAD_PREVIEW}, or whole payloads up to {@link #PAYLOAD_FULL}.
   */
  static Rendering of(boolean full) {
    return full
        ? new Rendering(PAYLOAD_FULL, 2 * PAYLOAD_FULL)
        : new Rendering(PAYLOAD_PREVIEW, RESULT_BUDGET);
  }

  /** Short previews, for summaries. */
  static Rendering summary() {
    return new Rendering(PAYLOAD_SUMMARY, RESULT_BUDGET);
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /**
   * Adds as many of {@code messages} as the budget holds (always the first) and answers how many.
   */
  int messages(ArrayNode into, List<MessageView> messages) {
    int added = 0;
    for (MessageView m : messages) {
      ObjectNode node = message(m);
      int size = MAPPER.writeValueAsString(node).length();
      if (added > 0 && used + size > budget) {
        break;
      }
      used += size;
      into.add(node);
      added++;
    }
    return added;
  }

  /** One message: its headers, then its payload, cut to this rendering's limit. */
  ObjectNode message(MessageView m) {
    ObjectNode n = object();
    n.put("id", m.id());
    n.put("timestamp", m.timestamp().toString());
    n.put("sender", m.sender());
    n.put("mode", m.mode());
    m.target().ifPresent(t -> n.put("target", t));
    if (!m.priority().equals("normal")) {
      n.put("priority", m.priority());
    }
    if (!m.tags().isEmpty()) {
      ArrayNode tags = n.putArray("tags");
      m.tags().forEach(tags::add);
    }
    m.threadId().ifPresent(t -> n.put("thread_id", t));
    m.inReplyTo().ifPresent(r -> n.put("in_reply_to", r));
    m.readAt().ifPresent(r -> n.put("read_at", r.toString()));
    metadata(n, m.metadata());
    n.put("content_type", m.contentType());
    m.language().ifPresent(l -> n.put("language", l));
    String payload = payloadText(m);
    if (payload.length() > payloadChars) {
      n.put("payload", payload.substring(0, payloadChars));
      n.put("payload_chars", payload.length());
      truncated.add(m.id());
    } else {
      n.put("payload", payload);
    }
    attachments(n, m);
    return n;
  }

  private void attachments(ObjectNode n, MessageView m) {
    if (m.attachments().isEmpty()) {
      return;
    }
    ArrayNode files = n.putArray("attachments");
    for (AttachmentView a : m.attachments()) {
      ObjectNode f = files.addObject();
      f.put("n", a.n());
      f.put("name", a.name());
      f.put("content_type", a.contentType());
      f.put("size", a.size());
    }
    withAttachments.add(m.id());
  }

  /** The payload as text: JSON text for JSON, base64 for binary, else the text itself. */
  static String payloadText(MessageView m) {
    JsonNode p = m.payload();
    return p.isString() ? p.asString() : MAPPER.writeValueAsString(p);
  }

  private void metadata(ObjectNode n, JsonNode metadata) {
    if (metadata.isEmpty()) {
      return;
    }
    String text = MAPPER.writeValueAsString(metadata);
    if (text.length() <= METADATA_PREVIEW || payloadChars > PAYLOAD_PREVIEW) {
      n.set("metadata", metadata);
    } else {
      n.put("metadata_chars", text.length());
    }
  }

  /** Compact JSON. */
  static String json(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /**
   * Notes the messages that could not be decoded and so are not in the result, with why: their ids
   * still work with the tools that take ids.
   */
  void skipped(List<SkippedMessage> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    List<String> each = new ArrayList<>(skipped.size());
    for (SkippedMessage s : skipped) {
      each.add(s.idOrUnknown() + " (" + s.reason() + ")");
    }
    notes.add(
        "not shown, because this client cannot decode "
            + (skipped.size() == 1 ? "it" : "them")
            + ": "
            + String.join("; ", each)
            + "; mark_read and acknowledge still take "
            + (skipped.size() == 1 ? "its id" : "their ids"));
  }

  /** Adds a note for the reader of the result. */
  void note(String note) {
    notes.add(note);
  }

  /** The result as compact JSON, with the notes on what was cut. */
  String write(ObjectNode result) {
    if (!truncated.isEmpty()) {
      notes.add(truncationNote());
    }
    if (!withAttachments.isEmpty()) {
      notes.add(ATTACHMENTS_NOTE);
    }
    if (!notes.isEmpty()) {
      ArrayNode a = result.putArray("notes");
      notes.forEach(a::add);
    }
    return MAPPER.writeValueAsString(result);
  }

  private String truncationNote() {
    String ids = MAPPER.writeValueAsString(truncated);
    String cut =
        "payload cut at " + chars(payloadChars) + " characters (payload_chars has its length); ";
    if (payloadChars >= PAYLOAD_FULL) {
      return cut
          + "that is the most a tool result carries: GET /v1/messages/{id} serves it whole, ids "
          + ids;
    }
    if (payloadChars < PAYLOAD_PREVIEW) {
      return cut + "call read_messages with ids=" + ids + " to read more";
    }
    return cut + "call read_messages with ids=" + ids + " and full=true for the whole payload";
  }

  static String chars(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
