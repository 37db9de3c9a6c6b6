package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event pushed over {@code GET /v1/stream}: a JSON object whose {@code type} names the record.
 * {@link #parse} reads one; a type this version does not know becomes {@link Unknown}, so a client
 * keeps working against a newer server.
 */
public sealed interface StreamEvent {

  /**
   * The first event of a stream.
   *
   * @param resumedAfter the {@code last_event_id} the stream resumed after, if any
   * @param heartbeatSeconds how often the server sends a {@link Heartbeat}
   * @param maxAttempts how many pushes a delivery gets before it is dead-lettered
   */
  record Connected(
      String agentId, Optional<String> resumedAfter, double heartbeatSeconds, int maxAttempts)
      implements StreamEvent {
    public Connected {
      resumedAfter = resumedAfter == null ? Optional.empty() : resumedAfter;
    }
  }

  /**
   * One delivery ({@code type} {@code message}, or an element of a {@link Batch} or {@link
   * Deliveries}).
   *
   * @param id the message id
   * @param subscriptionId {@code inbox} for the agent's own mailbox, else the subscription's id
   * @param attempt 1 on the first push; counts pushes on earlier streams too
   */
  record Delivery(String id, String subscriptionId, int attempt, MessageView message)
      implements StreamEvent {}

  /** Deliveries of one {@code batch} subscription, each acknowledged on its own. */
  record Batch(String subscriptionId, List<Delivery> deliveries) implements StreamEvent {
    public Batch {
      deliveries = List.copyOf(deliveries);
    }
  }

  /**
   * Deliveries the server pushed at once, of any subscriptions, on a stream opened with {@code
   * coalesce=true}; each is acknowledged on its own.
   */
  record Deliveries(List<Delivery> deliveries) implements StreamEvent {
    public Deliveries {
      deliveries = List.copyOf(deliveries);
    }
  }

  /** Sent every {@link Connected#heartbeatSeconds()}, whatever else is sent. */
  record Heartbeat(Instant time) implements StreamEvent {}

  /** A frame the client sent was not understood (WebSocket only); the stream stays open. */
  record FrameError(String detail) implements StreamEvent {}

  /** An event of a type this version does not know. */
  record Unknown(String type, JsonNode json) implements StreamEvent {}

  /**
   * Reads one event.
   *
   * @param mapper {@link Json#mapper()}, or a mapper configured like it
   * @throws tools.jackson.core.JacksonException if the text is not an event of the known shape
   */
  static StreamEvent parse(JsonMapper mapper, String json) {
    JsonNode tree = mapper.readTree(json);
    if (!(tree instanceof ObjectNode node) || !node.path("type").isString()) {
      throw new IllegalArgumentException("a stream event is a JSON object with a type");
    }
    String type = node.remove("type").asString();
    return switch (type) {
      case "connected" -> mapper.treeToValue(node, Connected.class);
      case "message" -> mapper.treeToValue(node, Delivery.class);
      case "batch" -> mapper.treeToValue(node, Batch.class);
      case "deliveries" -> mapper.treeToValue(node, Deliveries.class);
      case "heartbeat" -> mapper.treeToValue(node, Heartbeat.class);
      case "error" -> mapper.treeToValue(node, FrameError.class);
      default -> new Unknown(type, node);
    };
  }
}
