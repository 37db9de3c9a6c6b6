package dev.mailroom.mcp;

import dev.mailroom.client.DeliveryMode;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.PageRequest;
import dev.mailroom.client.Priority;
import dev.mailroom.client.SubscriptionSettings;
import dev.mailroom.client.TopicSettings;
import dev.mailroom.protocol.SubscriptionView;
import dev.mailroom.protocol.TopicTree;
import dev.mailroom.protocol.TopicView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** subscribe, unsubscribe, list_topics, create_topic, join_topic and leave_topic. */
final class TopicTools {
  /** Topics one list_topics result shows, about: it stops at the first page that reaches it. */
  static final int MAX_TOPICS = 200;

  private static final String INBOX_NOTE =
      "matching messages now arrive in your inbox: check_inbox, read_messages, wait_for_messages";

  private TopicTools() {}

  static List<Tool> all() {
    return List.of(
        subscribe(), unsubscribe(), listTopics(), createTopic(), joinTopic(), leaveTopic());
  }

  private static Schema delivery(Schema s) {
    return Filters.message(
        s.choice(
            "delivery_mode",
            "polling (the default here): kept in your inbox to read; realtime or batch: also"
                + " pushed to a /v1/stream connection, which an MCP client does not hold.",
            List.of("polling", "realtime", "batch")));
  }

  private static SubscriptionSettings settings(Args args) {
    SubscriptionSettings.Builder b =
        SubscriptionSettings.builder()
            .mode(args.choice("delivery_mode", DeliveryMode.class).orElse(DeliveryMode.POLLING));
    args.string("sender").ifPresent(b::sender);
    args.choice("min_priority", Priority.class).ifPresent(b::minPriority);
    args.string("content_type").ifPresent(b::contentType);
    args.strings("tags").forEach(b::tag);
    return b.build();
  }

  static Tool subscribe() {
    return Tool.of(
        "subscribe",
        "Subscribe to mailboxes or topics",
        "Subscribe to every mailbox or topic whose name matches a pattern (* is one name segment,"
            + " ** one or more: ai.models.*); matching messages arrive in your inbox.",
        Tool.Effect.WRITES,
        delivery(Schema.object().string("pattern", "An exact name or a pattern, e.g. ai.**."))
            .required("pattern"),
        (client, args) ->
            subscribed(
                client.subscriptions().create(args.requiredString("pattern"), settings(args))));
  }

  static Tool unsubscribe() {
    return Tool.of(
        "unsubscribe",
        "Unsubscribe",
        "End a subscription, given its id or its pattern (every subscription with that pattern).",
        Tool.Effect.REMOVES,
        Schema.object()
            .string("subscription_id", "The subscription's id, as subscribe answered it.")
            .string("pattern", "End every subscription of yours with exactly this pattern."),
        TopicTools::unsubscribe);
  }

  private static String unsubscribe(MailroomClient client, Args args) {
    args.requireOneOf("subscription_id", "pattern");
    List<String> ended = new ArrayList<>();
    if (args.string("subscription_id").isPresent()) {
      String id = args.requiredString("subscription_id");
      client.subscriptions().delete(id);
      ended.add(id);
    } else {
      String pattern = args.requiredString("pattern");
      for (SubscriptionView s : client.subscriptions().list().subscriptions()) {
        if (s.pattern().equals(pattern)) {
          client.subscriptions().delete(s.id());
          ended.add(s.id());
        }
      }
      if (ended.isEmpty()) {
        throw new Args.BadArgument("pattern", "matches none of your subscriptions");
      }
    }
    ObjectNode result = Rendering.object();
    ArrayNode a = result.putArray("unsubscribed");
    ended.forEach(a::add);
    return Rendering.json(result);
  }

  static Tool listTopics() {
    return Tool.of(
        "list_topics",
        "List topics",
        "List the topics that exist, with their subscribers and traffic.",
        Tool.Effect.READS,
        Schema.object()
            .string("prefix", "Only topics whose name starts with this, e.g. ai.")
            .string(
                "cursor",
                "The next_cursor of an earlier list_topics call (with the same prefix): list the"
                    + " topics after those it showed."),
        (client, args) -> topics(client, args.string("prefix").orElse(""), args.string("cursor")));
  }

  /** Up to about {@link #MAX_TOPICS} topics, a server page at a time, and where to go on. */
  private static String topics(MailroomClient client, String prefix, Optional<String> cursor) {
    PageRequest first = cursor.map(PageRequest.first()::withCursor).orElse(PageRequest.first());
    List<TopicView> shown = new ArrayList<>();
    Optional<String> next = Optional.empty();
    for (Iterator<TopicTree> pages = client.topics().pages(prefix, first);
        pages.hasNext() && shown.size() < MAX_TOPICS; ) {
      TopicTree page = pages.next();
      shown.addAll(page.topicsByName());
      next = page.nextCursor();
    }
    ObjectNode result = Rendering.object();
    ArrayNode a = result.putArray("topics");
    shown.forEach(t -> a.add(topic(t)));
    if (next.isPresent()) {
      result.put("next_cursor", next.get());
      result
          .putArray("notes")
          .add(
              "more topics follow: call list_topics again with cursor=next_cursor (and the same"
                  + " prefix), or narrow the list with a prefix");
    }
    return Rendering.json(result);
  }

  private static ObjectNode topic(TopicView t) {
    ObjectNode n = Rendering.object();
    n.put("name", t.name());
    t.config().description().ifPresent(d -> n.put("description", d));
    n.put("subscribers", t.stats().subscribers());
    n.put("messages", t.stats().messages());
    t.stats().lastMessageAt().ifPresent(at -> n.put("last_message_at", at.toString()));
    return n;
  }

  static Tool createTopic() {
    return Tool.of(
        "create_topic",
        "Create a topic",
        "Create a topic (names are dot-separated segments, e.g. ai.models.gpt4); settings left"
            + " out are inherited from its parent topics.",
        Tool.Effect.WRITES,
        Schema.object()
            .string("name", "The topic's name.")
            .string("description", "What the topic is for (at most 1024 characters).")
            .integer(
                "retention_seconds",
                "How long its messages live unless they say otherwise.",
                1,
                Integer.MAX_VALUE)
            .integer("max_subscribers", "The most agents that may subscribe.", 1, Integer.MAX_VALUE)
            .required("name"),
        (client, args) -> {
          TopicSettings.Builder s = TopicSettings.builder();
          args.string("description").ifPresent(s::description);
          args.integer("retention_seconds", 1, Integer.MAX_VALUE)
              .ifPresent(r -> s.retention(Duration.ofSeconds(r)));
          args.integer("max_subscribers", 1, Integer.MAX_VALUE).ifPresent(s::maxSubscribers);
          return Rendering.json(
              topic(client.topics().create(args.requiredString("name"), s.build())));
        });
  }

  static Tool joinTopic() {
    return Tool.of(
        "join_topic",
        "Join a topic",
        "Subscribe to one topic by its exact name; its messages arrive in your inbox.",
        Tool.Effect.WRITES_IDEMPOTENT,
        delivery(Schema.object().string("name", "The topic's name.")).required("name"),
        (client, args) ->
            subscribed(client.topics().join(args.requiredString("name"), settings(args))));
  }

  static Tool leaveTopic() {
    return Tool.of(
        "leave_topic",
        "Leave a topic",
        "End your subscriptions to exactly this topic name.",
        Tool.Effect.REMOVES,
        Schema.object().string("name", "The topic's name.").required("name"),
        (client, args) -> {
          String name = args.requiredString("name");
          client.topics().leave(name);
          ObjectNode result = Rendering.object();
          result.put("left", name);
          return Rendering.json(result);
        });
  }

  private static String subscribed(SubscriptionView s) {
    ObjectNode n = Rendering.object();
    n.put("subscription_id", s.id());
    n.put("pattern", s.pattern());
    n.put("delivery_mode", s.deliveryMode());
    n.put("note", INBOX_NOTE);
    return Rendering.json(n);
  }
}
