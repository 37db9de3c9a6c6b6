package dev.mailroom.client;

import dev.mailroom.protocol.DeadLetterList;
import dev.mailroom.protocol.DeadLetterView;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SkippedMessage;
import dev.mailroom.protocol.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the SDK could not decode as a whole, message by message, so that one message it cannot
 * decode (nested deeper or with a longer number than the SDK reads, or with a field of a type it
 * does not expect) is skipped and reported as a {@link SkippedMessage} instead of making the other
 * messages of an answer or a stream unreadable. Only called after the whole document failed to
 * decode. Stateless and thread-safe.
 */
final class Salvage {
  /**
   * Finds where each message starts and ends without limits: it only tokenizes, keeping no more
   * than one small object per open level, so no document can run it out of stack. What it finds is
   * then decoded with the SDK's own limits.
   */
  private static final JsonFactory SCANNER =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(Integer.MAX_VALUE)
                  .maxNumberLength(Integer.MAX_VALUE)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(Integer.MAX_VALUE)
                  .build())
          .build();

  private Salvage() {}

  /** A page of messages with the messages that cannot be decoded skipped; empty if not a page. */
  static Optional<MessagePage> page(JsonMapper mapper, String json) {
    return items(mapper, json, "messages", MessageView.class)
        .flatMap(
            found ->
                decode(mapper, found.rest(), MessagePage.class)
                    .map(p -> new MessagePage(found.items(), p.nextCursor(), found.skipped())));
  }

  /** A page of dead letters with those that cannot be decoded skipped; empty if not a page. */
  static Optional<DeadLetterList> deadLetters(JsonMapper mapper, String json) {
    return items(mapper, json, "dead_letters", DeadLetterView.class)
        .flatMap(
            found ->
                decode(mapper, found.rest(), DeadLetterList.class)
                    .map(l -> new DeadLetterList(found.items(), l.nextAfterId(), found.skipped())));
  }

  /**
   * A stream event that could not be decoded: a {@code message} event, a {@code batch} or a {@code
   * deliveries} event with what can be decoded kept and the rest skipped. Empty if it is none of
   * them.
   */
  static Optional<StreamEvents> event(JsonMapper mapper, String json) {
    Optional<String> type = topLevelString(json, "type");
    if (type.equals(Optional.of("batch"))) {
      return items(mapper, json, "deliveries", StreamEvent.Delivery.class)
          .flatMap(
              found ->
                  decodeEvent(mapper, found.rest())
                      .filter(StreamEvent.Batch.class::isInstance)
                      .map(
                          b ->
                              new StreamEvents(
                                  found.items().isEmpty()
                                      ? Optional.empty()
                                      : Optional.of(
                                          new StreamEvent.Batch(
                                              ((StreamEvent.Batch) b).subscriptionId(),
                                              found.items())),
                                  found.skipped(),
                                  found.lastId())));
    }
    if (type.equals(Optional.of("deliveries"))) {
      return items(mapper, json, "deliveries", StreamEvent.Delivery.class)
          .map(
              found ->
                  new StreamEvents(
                      found.items().isEmpty()
                          ? Optional.empty()
                          : Optional.of(new StreamEvent.Deliveries(found.items())),
                      found.skipped(),
                      found.lastId()));
    }
    if (type.equals(Optional.of("message"))) {
      // A message event is one delivery: as a list of one, it is kept or skipped like a batch's.
      String asBatch = "{\"deliveries\":[" + json + "]}";
      return items(mapper, asBatch, "deliveries", MessageEvent.class)
          .map(
              found ->
                  new StreamEvents(
                      found.items().stream().findFirst().map(MessageEvent::delivery),
                      found.skipped(),
                      found.lastId()));
    }
    return Optional.empty();
  }

  /** What could be read of one stream event. */
  record StreamEvents(
      Optional<StreamEvent> event, List<SkippedMessage> skipped, Optional<String> lastId) {}

  /** A {@code message} event as a record, its {@code type} included. */
  private record MessageEvent(
      String type, String id, String subscriptionId, int attempt, MessageView message) {
    StreamEvent.Delivery delivery() {
      return new StreamEvent.Delivery(id, subscriptionId, attempt, message);
    }
  }

  /**
   * The items of an array property of a JSON object, decoded one by one.
   *
   * @param items those decoded
   * @param skipped those that could not be
   * @param rest the object with the array emptied
   * @param lastId the id of the array's last item, if it has one
   */
  private record Items<T>(
      List<T> items, List<SkippedMessage> skipped, String rest, Optional<String> lastId) {}

  private static <T> Optional<Items<T>> items(
      JsonMapper mapper, String json, String field, Class<T> type) {
    try (JsonParser p = SCANNER.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.START_ARRAY && field.equals(name)) {
          return Optional.of(array(mapper, json, p, type));
        }
        p.skipChildren();
      }
      return Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty(); // not even well-formed JSON: nothing to salvage
    }
  }

  /** Decodes the items of the array the parser is at the start of. */
  private static <T> Items<T> array(JsonMapper mapper, String json, JsonParser p, Class<T> type) {
    int open = offset(p.currentTokenLocation().getCharOffset());
    List<T> items = new ArrayList<>();
    List<SkippedMessage> skipped = new ArrayList<>();
    Optional<String> lastId = Optional.empty();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      int start = offset(p.currentTokenLocation().getCharOffset());
      lastId = idOf(p);
      String item = json.substring(start, offset(p.currentLocation().getCharOffset()));
      try {
        items.add(mapper.readValue(item, type));
      } catch (JacksonException e) {
        skipped.add(new SkippedMessage(lastId, Json.describe(e)));
      }
    }
    int close = offset(p.currentTokenLocation().getCharOffset());
    return new Items<>(items, skipped, json.substring(0, open + 1) + json.substring(close), lastId);
  }

  /** Reads past one value, answering its {@code id} if it is an object with a string id. */
  private static Optional<String> idOf(JsonParser p) {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return Optional.empty();
    }
    Optional<String> id = Optional.empty();
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("id")) {
        id = Optional.of(p.getString());
      }
      p.skipChildren();
    }
    return id;
  }

  private static Optional<String> topLevelString(String json, String field) {
    try (JsonParser p = SCANNER.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.VALUE_STRING && field.equals(name)) {
          return Optional.of(p.getString());
        }
        p.skipChildren();
      }
      return Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  private static <T> Optional<T> decode(JsonMapper mapper, String json, Class<T> type) {
    try {
      return Optional.of(mapper.readValue(json, type));
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  private static Optional<StreamEvent> decodeEvent(JsonMapper mapper, String json) {
    try {
      return Optional.of(StreamEvent.parse(mapper, json));
    } catch (JacksonException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static int offset(long charOffset) {
    if (charOffset < 0 || charOffset > Integer.MAX_VALUE) {
      throw new IllegalStateException("the scanner lost its place in the text");
    }
    return (int) charOffset;
  }
}
