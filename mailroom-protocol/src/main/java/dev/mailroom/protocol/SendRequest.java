package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The body of a send ({@code POST /v1/messages}). Absent optional fields are left out of the JSON,
 * so the server applies its defaults.
 *
 * @param mode {@code direct}, {@code topic} or {@code broadcast}
 * @param target the mailbox or topic; absent for a broadcast
 * @param contentType one of the content types of the API
 * @param language for {@code text/code} only
 * @param payload a JSON string for the text types and {@code text/uri-list}, any JSON value for
 *     {@code application/json}, a base64 string for {@code application/octet-stream}
 * @param priority {@code low}, {@code normal}, {@code high} or {@code urgent}
 * @param tags the tags (left out when empty)
 * @param metadata a JSON object
 * @param ttlSeconds the time to live in seconds
 * @param threadId the conversation thread
 * @param inReplyTo the id of the message this one answers
 * @param idempotencyKey repeats of this key by the same sender store nothing new
 * @param attachments complete uploads of the sender's it carries (left out when empty)
 * @param ackRequired ask the recipient to acknowledge it (an acknowledgement or a reply then meets
 *     the message's obligation)
 * @param replyBy a reply (with {@code ackRequired}, an acknowledgement or a reply) is owed by then
 */
public record SendRequest(
    String mode,
    Optional<String> target,
    String contentType,
    Optional<String> language,
    JsonNode payload,
    Optional<String> priority,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags,
    Optional<JsonNode> metadata,
    Optional<Long> ttlSeconds,
    Optional<String> threadId,
    Optional<String> inReplyTo,
    Optional<String> idempotencyKey,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AttachmentRequest> attachments,
    Optional<Boolean> ackRequired,
    Optional<Instant> replyBy) {

  public SendRequest {
    ackRequired = ackRequired == null ? Optional.empty() : ackRequired;
    replyBy = replyBy == null ? Optional.empty() : replyBy;
    tags = List.copyOf(tags);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A send that asks for no acknowledgement and no reply. */
  public SendRequest(
      String mode,
      Optional<String> target,
      String contentType,
      Optional<String> language,
      JsonNode payload,
      Optional<String> priority,
      List<String> tags,
      Optional<JsonNode> metadata,
      Optional<Long> ttlSeconds,
      Optional<String> threadId,
      Optional<String> inReplyTo,
      Optional<String> idempotencyKey,
      List<AttachmentRequest> attachments) {
    this(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttlSeconds,
        threadId,
        inReplyTo,
        idempotencyKey,
        attachments,
        Optional.empty(),
        Optional.empty());
  }

  /** A send without attachments. */
  public SendRequest(
      String mode,
      Optional<String> target,
      String contentType,
      Optional<String> language,
      JsonNode payload,
      Optional<String> priority,
      List<String> tags,
      Optional<JsonNode> metadata,
      Optional<Long> ttlSeconds,
      Optional<String> threadId,
      Optional<String> inReplyTo,
      Optional<String> idempotencyKey) {
    this(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttlSeconds,
        threadId,
        inReplyTo,
        idempotencyKey,
        List.of());
  }

  /** This send carrying these attachments. */
  public SendRequest withAttachments(List<AttachmentRequest> files) {
    return new SendRequest(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttlSeconds,
        threadId,
        inReplyTo,
        idempotencyKey,
        files,
        ackRequired,
        replyBy);
  }

  /** This send with an idempotency key. */
  public SendRequest withIdempotencyKey(String key) {
    return new SendRequest(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttlSeconds,
        threadId,
        inReplyTo,
        Optional.of(key),
        attachments,
        ackRequired,
        replyBy);
  }
}
