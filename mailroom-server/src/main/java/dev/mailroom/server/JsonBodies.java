package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.JsonLimitException;
import dev.mailroom.protocol.JsonLimits;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses request bodies into JSON trees, turning parse failures into field errors in plain words: a
 * value past a limit, or malformed inside a field's array or object, names the top-level field it
 * is in ({@code payload: is nested deeper than 64 levels}); other malformed JSON names {@code
 * body}. The body must be well-formed UTF-8 ({@link Utf8Check}), and every string well-formed
 * Unicode.
 */
final class JsonBodies {
  static final String FIELD = "body";

  /**
   * Why a number no decimal can hold (an exponent beyond the int range, {@code 1e2147483648}) was
   * refused: the parser throws {@link NumberFormatException} for it, not a parse error.
   */
  static final String NUMBER_RANGE = "a number is out of range";

  private JsonBodies() {}

  /**
   * The server's mapper. A body is nested one level more than the payload or metadata it carries
   * (its own object), so the parser lets bodies one level deeper than the configured limit, and
   * each top-level field gets exactly that limit.
   */
  static JsonMapper mapper(JsonLimits limits) {
    return Json.mapper(limits.maxDepth() + 1, limits.maxNumberLength());
  }

  /**
   * The body as a JSON object.
   *
   * @throws MailroomException.InvalidRequest naming {@code body} if it is empty, malformed or not
   *     an object, or naming the field with a value past a limit or a malformed string
   */
  static ObjectNode readObject(JsonMapper mapper, byte[] body) {
    return readObject(mapper, new ByteArrayInputStream(body));
  }

  /**
   * The body as a JSON object, parsed as it streams in. Runtime exceptions of the stream (such as a
   * size limit) pass through.
   *
   * @throws MailroomException.InvalidRequest naming {@code body} if it is empty, malformed, holds a
   *     number out of range or is not an object, or naming the field with a value past a limit or a
   *     malformed string
   */
  static ObjectNode readObject(JsonMapper mapper, InputStream body) {
    JsonNode node;
    try (JsonParser parser = mapper.createParser(new Utf8Check(body))) {
      node = parse(mapper, parser);
    } catch (JacksonIOException e) {
      // The parser reads the first bytes as it opens, to detect the encoding: bytes that look like
      // UTF-32 of an order it does not know fail there, before any JSON is read.
      throw MailroomException.InvalidRequest.field(FIELD, "is not JSON in UTF-8");
    }
    if (node == null || node.isMissingNode()) {
      throw MailroomException.InvalidRequest.field(FIELD, "is empty; expected a JSON object");
    }
    if (!(node instanceof ObjectNode object)) {
      throw MailroomException.InvalidRequest.field(
          FIELD, "must be a JSON object, not " + node.getNodeType().name().toLowerCase());
    }
    FieldErrors errors = new FieldErrors();
    for (String name : new TreeSet<>(object.propertyNames())) {
      JsonValues.malformedText(name)
          .ifPresent(problem -> errors.add(FIELD, "has a property name that " + problem));
      // A property with an empty name is named as the body, as everywhere (a field "" names
      // nothing).
      String field = name.isEmpty() ? FIELD : name;
      JsonValues.malformedText(object.get(name)).ifPresent(problem -> errors.add(field, problem));
    }
    errors.throwIfAny();
    return object;
  }

  private static @Nullable JsonNode parse(JsonMapper mapper, JsonParser parser) {
    try {
      return mapper.readTree(parser);
    } catch (JsonLimitException e) {
      TokenStreamContext at = parser.streamReadContext();
      Optional<String> field = topLevelField(at);
      if (field.isPresent()) {
        // The field's value starts one level down, inside the body's object.
        throw MailroomException.InvalidRequest.field(field.get(), e.describeAt(1));
      }
      throw MailroomException.InvalidRequest.field(FIELD, e.getOriginalMessage());
    } catch (JacksonException e) {
      // A syntax error inside a field's array or object is that field's; between fields, the
      // body's.
      TokenStreamContext at = parser.streamReadContext();
      String field =
          at != null && at.getNestingDepth() >= 2 ? topLevelField(at).orElse(FIELD) : FIELD;
      throw MailroomException.InvalidRequest.field(field, "is not valid JSON: " + describe(e));
    } catch (NumberFormatException e) {
      throw MailroomException.InvalidRequest.field(FIELD, "is not valid JSON: " + NUMBER_RANGE);
    }
  }

  /** The property of the body's object that the parser was in, if it was in one. */
  private static Optional<String> topLevelField(@Nullable TokenStreamContext at) {
    TokenStreamContext c = at;
    while (c != null && c.getParent() != null && !c.getParent().inRoot()) {
      c = c.getParent();
    }
    // A property with an empty name is named as the body, as everywhere (a field "" names nothing).
    return c != null && c.inObject()
        ? Optional.ofNullable(c.currentName()).filter(name -> !name.isEmpty())
        : Optional.empty();
  }

  /** A parse failure in plain words, with its location. */
  static String describe(JacksonException e) {
    String message = Json.describe(e);
    TokenStreamLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      return message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return message;
  }
}
