package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
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
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AttachmentRequest> attachments) {

  public SendRequest {
    tags = List.copyOf(tags);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
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
        files);
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
        attachments);
  }
}
