package dev.mailroom.client;

import dev.mailroom.protocol.AttachmentRequest;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SendRequest;
import dev.mailroom.protocol.UploadView;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The body of a send, built step by step: where it goes, then its payload, then the optional parts.
 *
 * <pre>{@code
 * client.messages().send(Draft.direct("bob").markdown("**Review** PR 42?")
 *     .priority(Priority.HIGH).tag("review").idempotencyKey("review-42"));
 * client.messages().send(Draft.topic("ai.models.gpt4").json(node));
 * client.messages().send(Draft.replyTo(message).text("done"));
 * client.messages().send(Draft.direct("bob").text("the failing run").attach(uploadedLog));
 * }</pre>
 *
 * <p>A draft needs a payload, attachments ({@link #attach(String)}, from {@link Uploads}), or both;
 * one with attachments alone goes out as {@code text/plain} with an empty payload.
 *
 * <p>A builder: not thread-safe; build and send it on one thread.
 */
public final class Draft {
  public static final String TEXT = "text/plain";
  public static final String MARKDOWN = "text/markdown";
  public static final String CODE = "text/code";
  public static final String JSON = "application/json";
  public static final String BINARY = "application/octet-stream";
  public static final String URI_LIST = "text/uri-list";

  private final String mode;
  private final Optional<String> target;
  private @Nullable String contentType;
  private Optional<String> language = Optional.empty();
  private @Nullable JsonNode payload;
  private Optional<Priority> priority = Optional.empty();
  private final List<String> tags = new ArrayList<>();
  private Optional<JsonNode> metadata = Optional.empty();
  private Optional<Duration> ttl = Optional.empty();
  private Optional<String> threadId = Optional.empty();
  private Optional<String> inReplyTo = Optional.empty();
  private Optional<String> idempotencyKey = Optional.empty();
  private boolean ackRequired;
  private Optional<Instant> replyBy = Optional.empty();
  private final List<AttachmentRequest> attachments = new ArrayList<>();

  private Draft(String mode, Optional<String> target) {
    this.mode = mode;
    this.target = target;
  }

  /** To an agent's mailbox (by its id) or a shared mailbox. */
  public static Draft direct(String mailbox) {
    return new Draft("direct", Optional.of(Objects.requireNonNull(mailbox, "mailbox")));
  }

  /** To a topic. */
  public static Draft topic(String topic) {
    return new Draft("topic", Optional.of(Objects.requireNonNull(topic, "topic")));
  }

  /** To every agent but the sender. */
  public static Draft broadcast() {
    return new Draft("broadcast", Optional.empty());
  }

  /**
   * An answer to {@code original}, to its sender, in its thread (the server puts a reply without a
   * thread in the thread of the message it answers).
   */
  public static Draft replyTo(MessageView original) {
    Draft d = direct(original.sender());
    d.inReplyTo = Optional.of(original.id());
    d.threadId = original.threadId();
    return d;
  }

  /** A {@code text/plain} payload. */
  public Draft text(String text) {
    return payload(TEXT, JsonNodeFactory.instance.stringNode(text));
  }

  /** A {@code text/markdown} payload. */
  public Draft markdown(String markdown) {
    return payload(MARKDOWN, JsonNodeFactory.instance.stringNode(markdown));
  }

  /** A {@code text/code} payload in a programming language ({@code java}, {@code c++}, ...). */
  public Draft code(String language, String code) {
    this.language = Optional.of(language);
    return payload(CODE, JsonNodeFactory.instance.stringNode(code));
  }

  /** An {@code application/json} payload: any JSON value. */
  public Draft json(JsonNode value) {
    return payload(JSON, value);
  }

  /** An {@code application/json} payload given as JSON text; the server parses it. */
  public Draft jsonText(String json) {
    return payload(JSON, JsonNodeFactory.instance.stringNode(json));
  }

  /** An {@code application/octet-stream} payload. */
  public Draft binary(byte[] bytes) {
    return payload(
        BINARY, JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(bytes)));
  }

  /** A {@code text/uri-list} payload: a reference to external content. */
  public Draft uri(URI reference) {
    return payload(URI_LIST, JsonNodeFactory.instance.stringNode(reference.toString()));
  }

  /** A payload of any content type, as it goes on the wire (see {@link SendRequest#payload}). */
  public Draft payload(String contentType, JsonNode payload) {
    this.contentType = contentType;
    this.payload = payload;
    return this;
  }

  public Draft priority(Priority value) {
    priority = Optional.of(value);
    return this;
  }

  /** Adds tags. */
  public Draft tag(String... values) {
    for (String t : values) {
      tags.add(Objects.requireNonNull(t, "tag"));
    }
    return this;
  }

  /** The metadata: a JSON object. */
  public Draft metadata(JsonNode object) {
    metadata = Optional.of(object);
    return this;
  }

  /** The metadata, from a map that Jackson can write as a JSON object. */
  public Draft metadata(Map<String, ?> object) {
    JsonNode tree = Json.mapper().valueToTree(object);
    return metadata(tree);
  }

  /** How long the message lives (whole seconds); the server's default otherwise. */
  public Draft ttl(Duration value) {
    ttl = Optional.of(value);
    return this;
  }

  public Draft threadId(String value) {
    threadId = Optional.of(value);
    return this;
  }

  /** The id of the message this one answers. */
  public Draft inReplyTo(String messageId) {
    inReplyTo = Optional.of(messageId);
    return this;
  }

  /**
   * A key that makes the send safe to repeat: the same sender repeating it within the dedupe window
   * gets the original answer back and stores nothing new. Use one per logical message when you
   * retry after a connection failure.
   */
  public Draft idempotencyKey(String value) {
    idempotencyKey = Optional.of(value);
    return this;
  }

  /**
   * Attaches a blob of the sender's (a complete upload, by id) under its upload's name and type.
   * Attachments keep the order they are given in.
   */
  public Draft attach(String blobId) {
    return attach(AttachmentRequest.of(Objects.requireNonNull(blobId, "blobId")));
  }

  /** Attaches a blob under another name than its upload's. */
  public Draft attach(String blobId, String name) {
    return attach(
        new AttachmentRequest(
            Objects.requireNonNull(blobId, "blobId"), Optional.of(name), Optional.empty()));
  }

  /** Attaches a blob under another name and media type than its upload's. */
  public Draft attach(String blobId, String name, String contentType) {
    return attach(
        new AttachmentRequest(
            Objects.requireNonNull(blobId, "blobId"), Optional.of(name), Optional.of(contentType)));
  }

  /** Attaches a complete upload under its own name and type. */
  public Draft attach(UploadView upload) {
    return attach(upload.id());
  }

  /** Attaches a blob as the wire has it. */
  public Draft attach(AttachmentRequest attachment) {
    attachments.add(Objects.requireNonNull(attachment, "attachment"));
    return this;
  }

  /**
   * Asks the recipient to acknowledge the message ({@link Messages#ack}): an acknowledgement or a
   * reply then meets its obligation, which the sender follows with {@link Messages#receipts} and
   * {@link Obligations}.
   */
  public Draft ackRequired() {
    ackRequired = true;
    return this;
  }

  /**
   * Asks for a reply by {@code deadline} (with {@link #ackRequired()}, an acknowledgement or a
   * reply): past it the obligation is overdue and the sender gets one notice in its inbox. The
   * server refuses a deadline that is not in the future or comes after the message expires.
   */
  public Draft replyBy(Instant deadline) {
    replyBy = Optional.of(deadline);
    return this;
  }

  /** As {@link #replyBy(Instant)}, {@code within} from now. */
  public Draft replyWithin(Duration within) {
    return replyBy(Instant.now().plus(within));
  }

  /**
   * The wire body.
   *
   * @throws IllegalStateException if neither a payload nor an attachment was given
   */
  public SendRequest toRequest() {
    String type = contentType;
    JsonNode body = payload;
    if (type == null || body == null) {
      if (attachments.isEmpty()) {
        throw new IllegalStateException(
            "a draft needs a payload: text(..), markdown(..), json(..), ..., or attachments");
      }
      // What the server makes of a send with attachments and no payload, said outright.
      type = TEXT;
      body = JsonNodeFactory.instance.stringNode("");
    }
    return new SendRequest(
        mode,
        target,
        type,
        language,
        body,
        priority.map(Priority::wireName),
        tags,
        metadata,
        ttl.map(Duration::toSeconds),
        threadId,
        inReplyTo,
        idempotencyKey,
        attachments,
        ackRequired ? Optional.of(true) : Optional.empty(),
        replyBy);
  }
}
