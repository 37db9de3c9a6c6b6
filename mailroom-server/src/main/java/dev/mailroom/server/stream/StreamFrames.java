package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.engine.DeliveryEngine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of stream events. A {@code message} event is written by hand around the message's shared
 * rendering: ids and subscription ids are plain {@code [A-Za-z0-9_-]}, so they need no escaping,
 * and a fan-out never serializes the message more than once.
 *
 * <pre>
 * {"type":"connected","agent_id":"alice","resumed_after":null,"heartbeat_seconds":15,
 *  "max_attempts":3}
 * {"type":"message","id":"…","subscription_id":"inbox","attempt":1,"message":{…}}
 * {"type":"batch","subscription_id":"sub_…",
 *  "deliveries":[{"id":"…","subscription_id":"sub_…","attempt":1,"message":{…}}]}
 * {"type":"deliveries","deliveries":[{"id":"…","subscription_id":"inbox","attempt":1,
 *  "message":{…}},{"id":"…","subscription_id":"sub_…","attempt":2,"message":{…}}]}
 * {"type":"heartbeat","time":"2026-11-22T12:00:00Z"}
 * </pre>
 */
public final class StreamFrames {
  private final JsonMapper mapper;

  public StreamFrames(JsonMapper mapper) {
    this.mapper = mapper;
  }

  String connected(AgentId agent, Optional<MessageId> resumedAfter, DeliverySettings settings) {
    ObjectNode o = mapper.createObjectNode();
    o.put("type", "connected");
    o.put("agent_id", agent.value());
    if (resumedAfter.isPresent()) {
      o.put("resumed_after", resumedAfter.get().toString());
    } else {
      o.putNull("resumed_after");
    }
    o.put("heartbeat_seconds", settings.heartbeat().toMillis() / 1000.0);
    o.put("max_attempts", settings.maxAttempts());
    return mapper.writeValueAsString(o);
  }

  String message(RenderedMessage message, SubscriptionId subscription, int attempt) {
    String json = message.json();
    return new StringBuilder(json.length() + 96)
        .append("{\"type\":\"message\",")
        .append(delivery(message, subscription, attempt))
        .append('}')
        .toString();
  }

  private static String delivery(
      RenderedMessage message, SubscriptionId subscription, int attempt) {
    return "\"id\":\""
        + message.message().id()
        + "\",\"subscription_id\":\""
        + subscription.value()
        + "\",\"attempt\":"
        + attempt
        + ",\"message\":"
        + message.json();
  }

  String batch(SubscriptionId subscription, List<DeliveryEngine.Pushed<RenderedMessage>> items) {
    StringBuilder b =
        new StringBuilder("{\"type\":\"batch\",\"subscription_id\":\"")
            .append(subscription.value())
            .append("\",\"deliveries\":[");
    for (int i = 0; i < items.size(); i++) {
      DeliveryEngine.Pushed<RenderedMessage> p = items.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append('{').append(delivery(p.message(), subscription, p.attempt())).append('}');
    }
    return b.append("]}").toString();
  }

  /** One delivery of a {@code deliveries} frame. */
  record Item(RenderedMessage message, SubscriptionId subscription, int attempt) {}

  /** Several deliveries, of any subscriptions, pushed together (a coalescing stream's step). */
  String deliveries(List<Item> items) {
    int size = 32;
    for (Item i : items) {
      size += i.message().json().length() + 96;
    }
    StringBuilder b = new StringBuilder(size).append("{\"type\":\"deliveries\",\"deliveries\":[");
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append('{')
          .append(delivery(item.message(), item.subscription(), item.attempt()))
          .append('}');
    }
    return b.append("]}").toString();
  }

  String heartbeat(Instant now) {
    return "{\"type\":\"heartbeat\",\"time\":\"" + now + "\"}";
  }

  /** An event telling the client a frame it sent was not understood. */
  public String error(String detail) {
    ObjectNode o = mapper.createObjectNode();
    o.put("type", "error");
    o.put("detail", detail);
    return mapper.writeValueAsString(o);
  }
}
