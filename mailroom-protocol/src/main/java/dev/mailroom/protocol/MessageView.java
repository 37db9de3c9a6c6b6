package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A message as the API shows it.
 *
 * @param id unique, time-ordered
 * @param timestamp when it was stored
 * @param sender the agent that sent it
 * @param mode {@code direct}, {@code topic} or {@code broadcast}
 * @param target the mailbox or topic; absent for a broadcast
 * @param contentType the payload's media type
 * @param language the programming language of {@code text/code}
 * @param payload a JSON string for the text types, the JSON value itself for {@code
 *     application/json}, base64 (standard alphabet, padded) for {@code application/octet-stream}
 * @param priority {@code low}, {@code normal}, {@code high} or {@code urgent}
 * @param tags the tags
 * @param metadata a JSON object
 * @param expiresAt when it expires
 * @param threadId the conversation thread, if any
 * @param inReplyTo the message it answers, if any
 * @param readAt in listings: when the caller marked it read; absent while unread
 * @param attachments the files it carries, in order (empty when none)
 */
public record MessageView(
    String id,
    Instant timestamp,
    String sender,
    String mode,
    Optional<String> target,
    String contentType,
    Optional<String> language,
    JsonNode payload,
    String priority,
    List<String> tags,
    JsonNode metadata,
    Instant expiresAt,
    Optional<String> threadId,
    Optional<String> inReplyTo,
    Optional<Instant> readAt,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AttachmentView> attachments) {

  public MessageView {
    tags = List.copyOf(tags);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A message without attachments. */
  public MessageView(
      String id,
      Instant timestamp,
      String sender,
      String mode,
      Optional<String> target,
      String contentType,
      Optional<String> language,
      JsonNode payload,
      String priority,
      List<String> tags,
      JsonNode metadata,
      Instant expiresAt,
      Optional<String> threadId,
      Optional<String> inReplyTo,
      Optional<Instant> readAt) {
    this(
        id,
        timestamp,
        sender,
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        expiresAt,
        threadId,
        inReplyTo,
        readAt,
        List.of());
  }
}
