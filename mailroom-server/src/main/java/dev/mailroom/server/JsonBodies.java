package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Parses request bodies into JSON trees, turning parse failures into field errors. */
final class JsonBodies {
  static final String FIELD = "body";

  private JsonBodies() {}

  /**
   * The body as a JSON object.
   *
   * @throws MailroomException.InvalidRequest naming {@code body} if it is empty, malformed or not
   *     an object
   */
  static ObjectNode readObject(JsonMapper mapper, byte[] body) {
    return readObject(mapper, new ByteArrayInputStream(body));
  }

  /**
   * The body as a JSON object, parsed as it streams in. Runtime exceptions of the stream (such as a
   * size limit) pass through.
   *
   * @throws MailroomException.InvalidRequest naming {@code body} if it is empty, malformed or not
   *     an object
   */
  static ObjectNode readObject(JsonMapper mapper, InputStream body) {
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (JacksonException e) {
      throw MailroomException.InvalidRequest.field(FIELD, "is not valid JSON: " + describe(e));
    }
    if (node == null || node.isMissingNode()) {
      throw MailroomException.InvalidRequest.field(FIELD, "is empty; expected a JSON object");
    }
    if (!(node instanceof ObjectNode object)) {
      throw MailroomException.InvalidRequest.field(
          FIELD, "must be a JSON object, not " + node.getNodeType().name().toLowerCase());
    }
    return object;
  }

  /** A parse failure in one line, with its location; the mapper quotes little of the input. */
  static String describe(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    if (message.length() > 200) {
      message = message.substring(0, 197) + "...";
    }
    TokenStreamLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      return message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return message;
  }
}
