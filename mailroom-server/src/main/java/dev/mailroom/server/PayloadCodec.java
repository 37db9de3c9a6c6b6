package dev.mailroom.server;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Payload;
import dev.mailroom.protocol.JsonLimitException;
import dev.mailroom.protocol.JsonLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.util.RawValue;

/**
 * Converts payloads between their wire form and their stored form, per content type:
 *
 * <ul>
 *   <li>text types: a JSON string, stored as UTF-8;
 *   <li>{@code text/uri-list}: a JSON string holding one absolute URI;
 *   <li>{@code application/json}: any JSON value, stored as compact JSON text. A JSON string is
 *       taken as JSON text and must itself be valid JSON, nested no deeper than the limit;
 *   <li>{@code application/octet-stream}: base64 (standard or URL-safe alphabet, padding optional),
 *       stored as bytes; written back in the standard alphabet with padding.
 * </ul>
 *
 * Thread-safe.
 */
final class PayloadCodec {
  static final String FIELD = "payload";
  private static final int MAX_URI_LENGTH = 8192;

  private final JsonMapper mapper;
  private final int maxBytes;
  private final int maxDepth;

  /**
   * @param mapper the server's mapper ({@link JsonBodies#mapper})
   * @param maxDepth the most levels of a JSON payload
   */
  PayloadCodec(JsonMapper mapper, int maxBytes, int maxDepth) {
    this.mapper = mapper;
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
  }

  /**
   * The stored form of a wire payload, or empty after recording what is wrong in {@code errors}.
   *
   * @throws MailroomException.LimitExceeded if the decoded payload exceeds the inline limit
   */
  Optional<Payload> decode(ContentType type, JsonNode node, FieldErrors errors) {
    if (type.encoding() == ContentType.Encoding.JSON) {
      return decodeJson(node, errors);
    }
    if (!node.isString()) {
      errors.add(FIELD, "must be a JSON string for " + type.mediaType());
      return Optional.empty();
    }
    String text = node.stringValue();
    return switch (type.encoding()) {
      case BASE64 -> decodeBase64(text, errors);
      case TEXT -> {
        if (type == ContentType.REFERENCE && !isAbsoluteUri(text)) {
          errors.add(FIELD, "must be one absolute URI for text/uri-list");
          yield Optional.empty();
        }
        yield Optional.of(checked(text.getBytes(StandardCharsets.UTF_8)));
      }
      case JSON -> throw new AssertionError("handled above");
    };
  }

  /** The wire form of a stored payload. */
  JsonNode encode(ContentType type, Payload payload) {
    return switch (type.encoding()) {
      case TEXT -> JsonNodeFactory.instance.stringNode(payload.text());
      case JSON -> rawJson(payload.text());
      case BASE64 ->
          JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(payload.bytes()));
    };
  }

  /**
   * A node that writes already-valid compact JSON text as it is, without parsing it again. Only for
   * text the server produced itself.
   */
  static JsonNode rawJson(String compactJson) {
    return JsonNodeFactory.instance.rawValueNode(new RawValue(compactJson));
  }

  private Optional<Payload> decodeJson(JsonNode node, FieldErrors errors) {
    JsonNode value = node;
    if (node.isString()) {
      String text = node.stringValue();
      try {
        value = mapper.readTree(text);
      } catch (JsonLimitException e) {
        // The mapper allows a body's depth, one level more than a payload's.
        errors.add(FIELD, e.describeAt(1));
        return Optional.empty();
      } catch (JacksonException e) {
        errors.add(FIELD, "is not valid JSON: " + JsonBodies.describe(e));
        return Optional.empty();
      } catch (NumberFormatException e) {
        errors.add(FIELD, "is not valid JSON: " + JsonBodies.NUMBER_RANGE);
        return Optional.empty();
      }
      if (value == null || value.isMissingNode()) {
        errors.add(FIELD, "is not valid JSON: the text is empty");
        return Optional.empty();
      }
      if (JsonLimits.depth(value) > maxDepth) {
        errors.add(FIELD, "is nested deeper than " + maxDepth + " levels");
        return Optional.empty();
      }
      Optional<String> malformed = JsonValues.malformedText(value);
      if (malformed.isPresent()) {
        errors.add(FIELD, malformed.get());
        return Optional.empty();
      }
    }
    return Optional.of(checked(mapper.writeValueAsBytes(value)));
  }

  private Optional<Payload> decodeBase64(String text, FieldErrors errors) {
    int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    long decodedSize = (text.length() * 3L) / 4 - padding;
    if (decodedSize > maxBytes) {
      throw tooLarge(decodedSize);
    }
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    try {
      byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
      return Optional.of(checked(bytes));
    } catch (IllegalArgumentException e) {
      errors.add(FIELD, "is not valid base64: " + e.getMessage());
      return Optional.empty();
    }
  }

  private Payload checked(byte[] bytes) {
    if (bytes.length > maxBytes) {
      throw tooLarge(bytes.length);
    }
    return Payload.of(bytes);
  }

  private MailroomException.LimitExceeded tooLarge(long size) {
    return MailroomException.LimitExceeded.tooLarge(
        "the payload is " + size + " bytes; the inline limit is " + maxBytes + " bytes");
  }

  private static boolean isAbsoluteUri(String text) {
    if (text.isEmpty() || text.length() > MAX_URI_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    try {
      URI uri = new URI(text);
      return uri.isAbsolute() && uri.getRawSchemeSpecificPart() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
