package dev.mailroom.server;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Limits;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.AttachmentRef;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.FileNames;
import dev.mailroom.core.blob.MediaTypes;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.protocol.SendBatchRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts the JSON body of {@code POST /v1/messages} into a core {@link Draft}, checking every
 * field and reporting every bad one at once. Field names in errors are wire names ({@code
 * content_type}, {@code tags[2]}). Thread-safe.
 */
final class SendRequestMapper {
  static final Set<String> FIELDS =
      Set.of(
          "mode",
          "target",
          "content_type",
          "language",
          "payload",
          "priority",
          "tags",
          "metadata",
          "ttl_seconds",
          "thread_id",
          "in_reply_to",
          "idempotency_key",
          "attachments",
          "ack_required",
          "reply_by");
  private static final Set<String> ATTACHMENT_FIELDS = Set.of("blob_id", "name", "content_type");

  /** How many attachments one send may name, whatever the configured limit (checked later). */
  private static final int MAX_ATTACHMENTS_PARSED = 10_000;

  static final int MAX_IDEMPOTENCY_KEY = 256;
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9+#._-]{1,64}");

  private final JsonMapper mapper;
  private final Limits limits;
  private final PayloadCodec payloads;

  /**
   * @param mapper the server's mapper ({@link JsonBodies#mapper}), which enforces {@code json} on
   *     bodies
   */
  SendRequestMapper(JsonMapper mapper, Limits limits, JsonLimits json) {
    this.mapper = mapper;
    this.limits = limits;
    this.payloads = new PayloadCodec(mapper, limits.maxPayloadBytes(), json.maxDepth());
  }

  PayloadCodec payloads() {
    return payloads;
  }

  /** The views of stored messages, with this mapper's payload codec. */
  MessageViews views() {
    return new MessageViews(payloads);
  }

  /** Parses and converts a request body. */
  Draft map(byte[] body) {
    return map(JsonBodies.readObject(mapper, body));
  }

  /** Parses and converts a request body as it streams in. */
  Draft map(InputStream body) {
    return map(JsonBodies.readObject(mapper, body));
  }

  /** The most messages one {@code POST /v1/messages/batch} may carry. */
  static final int MAX_BATCH = SendBatchRequest.MAX_MESSAGES;

  /** The field of a batch body that lists its messages. */
  static final String BATCH_FIELD = "messages";

  /**
   * Parses and converts the body of a batch send, {@code {"messages": [...]}}, each element a send
   * body as {@link #map(ObjectNode)} takes.
   *
   * @throws MailroomException.InvalidRequest naming every invalid field of every message, as {@code
   *     messages[i].field}
   * @throws MailroomException.LimitExceeded if a message's payload exceeds the inline limit
   */
  List<Draft> mapBatch(InputStream body) {
    ObjectNode root = JsonBodies.readObject(mapper, body);
    FieldErrors errors = new FieldErrors();
    BodyFields.of(root, errors).allow(Set.of(BATCH_FIELD));
    JsonNode list = root.get(BATCH_FIELD);
    if (!isPresent(list)) {
      errors.add(BATCH_FIELD, "is required");
    } else if (!list.isArray()) {
      errors.add(BATCH_FIELD, "must be an array of messages");
    } else if (list.isEmpty()) {
      errors.add(BATCH_FIELD, "must hold at least one message");
    } else if (list.size() > MAX_BATCH) {
      errors.add(
          BATCH_FIELD, "holds " + list.size() + " messages; a batch holds at most " + MAX_BATCH);
    }
    errors.throwIfAny();
    List<Draft> drafts = new ArrayList<>(list.size());
    FieldErrors invalid = new FieldErrors();
    for (int i = 0; i < list.size(); i++) {
      String item = BATCH_FIELD + "[" + i + "]";
      if (!(list.get(i) instanceof ObjectNode message)) {
        invalid.add(item, "must be a message object");
        continue;
      }
      try {
        drafts.add(map(message));
      } catch (MailroomException.InvalidRequest e) {
        for (var error : e.errors()) {
          invalid.add(item + "." + error.field(), error.message());
        }
      } catch (MailroomException e) {
        throw e.forItem(item);
      }
    }
    invalid.throwIfAny();
    return drafts;
  }

  /**
   * Converts a parsed request body.
   *
   * @throws MailroomException.InvalidRequest naming every invalid field
   * @throws MailroomException.LimitExceeded if the payload exceeds the inline limit
   */
  Draft map(ObjectNode body) {
    FieldErrors errors = new FieldErrors();
    BodyFields.of(body, errors).allow(FIELDS);

    Optional<SendMode> mode =
        requiredString(body, "mode", errors)
            .flatMap(s -> errors.capture("mode", () -> SendMode.parse(s)));
    boolean targetGiven = isPresent(body.get("target"));
    Optional<MailboxName> target =
        optionalString(body, "target", errors)
            .flatMap(s -> errors.capture("target", () -> MailboxName.of(s)));
    if (mode.isPresent()) {
      if (mode.get() == SendMode.BROADCAST && targetGiven) {
        errors.add("target", "must be null or absent for a broadcast");
      } else if (mode.get() != SendMode.BROADCAST && !targetGiven) {
        errors.add("target", "is required for mode " + mode.get().wireName());
      }
    }

    List<AttachmentRef> attachments = attachments(body.get("attachments"), errors);
    // A message that carries files needs no body of its own: plain text, empty.
    boolean bodyOptional = !attachments.isEmpty();
    Optional<ContentType> contentType =
        bodyOptional && !isPresent(body.get("content_type"))
            ? Optional.of(ContentType.TEXT_PLAIN)
            : requiredString(body, "content_type", errors)
                .flatMap(s -> errors.capture("content_type", () -> ContentType.parse(s)));
    Optional<String> language = language(body, contentType, errors);
    Optional<Payload> payload = Optional.empty();
    JsonNode payloadNode = body.get("payload");
    if (!isPresent(payloadNode)) {
      if (bodyOptional
          && contentType.isPresent()
          && (contentType.get() == ContentType.TEXT_PLAIN
              || contentType.get() == ContentType.TEXT_MARKDOWN)) {
        payload = Optional.of(Payload.ofText(""));
      } else {
        errors.add("payload", "is required");
      }
    } else if (contentType.isPresent()) {
      payload = payloads.decode(contentType.get(), payloadNode, errors);
    }

    Priority priority =
        optionalString(body, "priority", errors)
            .flatMap(s -> errors.capture("priority", () -> Priority.parse(s)))
            .orElse(Priority.NORMAL);
    List<Tag> tags = tags(body.get("tags"), errors);
    String metadata = metadata(body.get("metadata"), errors);
    Optional<Duration> ttl = ttl(body.get("ttl_seconds"), errors);
    Optional<ThreadId> threadId =
        optionalString(body, "thread_id", errors)
            .flatMap(s -> errors.capture("thread_id", () -> ThreadId.of(s)));
    Optional<MessageId> inReplyTo =
        optionalString(body, "in_reply_to", errors)
            .flatMap(s -> errors.capture("in_reply_to", () -> MessageId.parse(s)));
    Optional<String> idempotencyKey = optionalString(body, "idempotency_key", errors);
    if (idempotencyKey.isPresent()
        && (idempotencyKey.get().isEmpty()
            || idempotencyKey.get().length() > MAX_IDEMPOTENCY_KEY)) {
      errors.add("idempotency_key", "must be 1-" + MAX_IDEMPOTENCY_KEY + " characters");
    }

    boolean ackRequired = ackRequired(body.get("ack_required"), errors);
    Optional<Instant> replyBy =
        optionalString(body, "reply_by", errors).flatMap(s -> replyBy(s, errors));

    errors.throwIfAny();
    return new Draft(
        mode.orElseThrow(),
        mode.get() == SendMode.BROADCAST ? Optional.empty() : target,
        contentType.orElseThrow(),
        language,
        payload.orElseThrow(),
        priority,
        tags,
        metadata,
        ttl,
        threadId,
        inReplyTo,
        idempotencyKey,
        attachments,
        ackRequired,
        replyBy);
  }

  private static boolean ackRequired(@Nullable JsonNode node, FieldErrors errors) {
    if (!isPresent(node)) {
      return false;
    }
    if (!node.isBoolean()) {
      errors.add("ack_required", "must be true or false");
      return false;
    }
    return node.booleanValue();
  }

  /** A deadline as RFC 3339 (an offset is required), kept to the millisecond. */
  private static Optional<Instant> replyBy(String text, FieldErrors errors) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS));
    } catch (DateTimeParseException e) {
      errors.add("reply_by", "must be an RFC 3339 date-time with an offset");
      return Optional.empty();
    }
  }

  /** The {@code attachments} of a send: objects naming blobs, checked field by field. */
  private static List<AttachmentRef> attachments(JsonNode node, FieldErrors errors) {
    if (!isPresent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      errors.add("attachments", "must be an array of objects");
      return List.of();
    }
    if (node.size() > MAX_ATTACHMENTS_PARSED) {
      errors.add("attachments", "must hold at most " + MAX_ATTACHMENTS_PARSED + " objects");
      return List.of();
    }
    List<AttachmentRef> refs = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String field = "attachments[" + i + "]";
      if (!(node.get(i) instanceof ObjectNode item)) {
        errors.add(field, "must be an object with blob_id");
        continue;
      }
      BodyFields fields = new BodyFields(item, errors, field + ".").allow(ATTACHMENT_FIELDS);
      Optional<BlobId> blob =
          fields
              .requiredString("blob_id")
              .flatMap(s -> errors.capture(field + ".blob_id", () -> BlobId.parse("blob_id", s)));
      Optional<String> name =
          fields
              .string("name")
              .flatMap(s -> errors.capture(field + ".name", () -> FileNames.check("name", s)));
      Optional<String> type =
          fields
              .string("content_type")
              .flatMap(
                  s ->
                      errors.capture(
                          field + ".content_type", () -> MediaTypes.check("content_type", s)));
      blob.ifPresent(b -> refs.add(new AttachmentRef(b, name, type)));
    }
    return refs;
  }

  private Optional<String> language(
      ObjectNode body, Optional<ContentType> contentType, FieldErrors errors) {
    boolean given = isPresent(body.get("language"));
    Optional<String> language = optionalString(body, "language", errors);
    if (contentType.isEmpty()) {
      return language;
    }
    if (contentType.get() == ContentType.TEXT_CODE) {
      if (!given) {
        errors.add("language", "is required for text/code");
      } else if (language.isPresent() && !LANGUAGE.matcher(language.get()).matches()) {
        errors.add("language", "must be 1-64 characters of A-Z a-z 0-9 + # . _ -");
      }
      return language;
    }
    if (given) {
      errors.add("language", "is only allowed with content_type text/code");
    }
    return Optional.empty();
  }

  private List<Tag> tags(JsonNode node, FieldErrors errors) {
    if (!isPresent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      errors.add("tags", "must be an array of strings");
      return List.of();
    }
    if (node.size() > limits.maxTags()) {
      errors.add("tags", "must hold at most " + limits.maxTags() + " tags");
      return List.of();
    }
    Set<Tag> tags = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String field = "tags[" + i + "]";
      if (!item.isString()) {
        errors.add(field, "must be a string");
      } else {
        errors.capture(field, () -> Tag.of(item.stringValue())).ifPresent(tags::add);
      }
    }
    return new ArrayList<>(tags);
  }

  private String metadata(JsonNode node, FieldErrors errors) {
    if (!isPresent(node)) {
      return "{}";
    }
    if (!node.isObject()) {
      errors.add("metadata", "must be a JSON object");
      return "{}";
    }
    String text = mapper.writeValueAsString(node);
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    if (size > limits.maxMetadataBytes()) {
      errors.add(
          "metadata",
          "is "
              + size
              + " bytes as compact JSON; at most "
              + limits.maxMetadataBytes()
              + " allowed");
    }
    return text;
  }

  private Optional<Duration> ttl(JsonNode node, FieldErrors errors) {
    if (!isPresent(node)) {
      return Optional.empty();
    }
    long max = limits.maxTtl().toSeconds();
    if (!node.isIntegralNumber()
        || !node.canConvertToLong()
        || node.longValue() < 1
        || node.longValue() > max) {
      errors.add("ttl_seconds", "must be a whole number of seconds between 1 and " + max);
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(node.longValue()));
  }

  private static boolean isPresent(@Nullable JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private static Optional<String> requiredString(
      ObjectNode body, String field, FieldErrors errors) {
    if (!isPresent(body.get(field))) {
      errors.add(field, "is required");
      return Optional.empty();
    }
    return optionalString(body, field, errors);
  }

  private static Optional<String> optionalString(
      ObjectNode body, String field, FieldErrors errors) {
    JsonNode node = body.get(field);
    if (!isPresent(node)) {
      return Optional.empty();
    }
    if (!node.isString()) {
      errors.add(field, "must be a string");
      return Optional.empty();
    }
    return Optional.of(node.stringValue());
  }
}
