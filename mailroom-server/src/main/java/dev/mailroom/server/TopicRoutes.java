package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.delivery.DeliveryService;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicService;
import dev.mailroom.core.delivery.TopicService.TopicView;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.protocol.TopicTree;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/topics}: create, configure, list as a tree, inspect, join, leave, delete. Joining is
 * subscribing to the topic's exact name; leaving removes the caller's subscriptions to that name.
 */
final class TopicRoutes {
  private static final Pattern NAME_CHARACTERS = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final int MAX_PREFIX = 256;
  static final long MAX_SECONDS = 10L * 366 * 24 * 3600;
  private static final Set<String> CONFIG_FIELDS =
      Set.of("description", "retention_seconds", "max_subscribers", "cleanup_after_seconds");
  private static final int MAX_DESCRIPTION = 1024;

  private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "prefix");

  private final TopicService topics;
  private final DeliveryService deliveries;
  private final JsonMapper mapper;
  private final long maxRetentionSeconds;
  private final HttpLimits http;

  TopicRoutes(
      TopicService topics,
      DeliveryService deliveries,
      JsonMapper mapper,
      Duration maxRetention,
      HttpLimits http) {
    this.topics = topics;
    this.deliveries = deliveries;
    this.mapper = mapper;
    this.maxRetentionSeconds = maxRetention.toSeconds();
    this.http = http;
  }

  /** {@code POST /v1/topics}: {@code {"name": ..., configuration...}}. */
  void create(Context ctx) {
    ObjectNode body = body(ctx);
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors);
    Set<String> known = new java.util.HashSet<>(CONFIG_FIELDS);
    known.add("name");
    fields.allow(known);
    Optional<MailboxName> name =
        fields.requiredString("name").flatMap(n -> errors.capture("name", () -> MailboxName.of(n)));
    TopicConfig config = config(fields, name);
    boolean created = topics.configure(Exchanges.principal(ctx), config);
    ctx.header("Location", "/v1/topics/" + config.name());
    Exchanges.json(ctx, mapper, created ? 201 : 200, view(topics.view(config.name())));
  }

  /** {@code PUT /v1/topics/{name}}: set the configuration (creates the topic if missing). */
  void configure(Context ctx) {
    MailboxName name = SubscriptionRoutes.name(ctx);
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body(ctx), errors).allow(CONFIG_FIELDS);
    TopicConfig config = config(fields, Optional.of(name));
    boolean created = topics.configure(Exchanges.principal(ctx), config);
    Exchanges.json(ctx, mapper, created ? 201 : 200, view(topics.view(name)));
  }

  private ObjectNode body(Context ctx) {
    return JsonBodies.readObject(mapper, Exchanges.body(ctx, Exchanges.SMALL_BODY));
  }

  private TopicConfig config(BodyFields fields, Optional<MailboxName> name) {
    Optional<String> description = fields.string("description");
    if (description.isPresent() && description.get().length() > MAX_DESCRIPTION) {
      fields.errors().add("description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    Optional<Duration> retention =
        fields.integer("retention_seconds", 1, maxRetentionSeconds).map(Duration::ofSeconds);
    Optional<Long> maxSubscribers = fields.integer("max_subscribers", 1, Integer.MAX_VALUE);
    Optional<Duration> cleanupAfter =
        fields.integer("cleanup_after_seconds", 1, MAX_SECONDS).map(Duration::ofSeconds);
    fields.errors().throwIfAny();
    return new TopicConfig(
        name.orElseThrow(),
        description,
        retention,
        maxSubscribers.map(m -> OptionalInt.of(m.intValue())).orElse(OptionalInt.empty()),
        cleanupAfter);
  }

  /**
   * {@code GET /v1/topics?limit=&cursor=&prefix=}: a page of the topics the caller may see, by
   * name, as a tree of name segments.
   */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    NamedPaging.Request<MailboxName> r =
        NamedPaging.request(q, http, CursorCodec.Named.TOPICS, MailboxName::of);
    String prefix = q.single("prefix", TopicRoutes::prefix).orElse("");
    errors.throwIfAny();
    NamedPaging.Page<TopicView> page =
        NamedPaging.cut(
            topics.list(Exchanges.principal(ctx), prefix, r.after(), r.limit() + 1),
            r.limit(),
            CursorCodec.Named.TOPICS,
            v -> v.stats().name().value());
    Map<MailboxName, TopicView> byName = new TreeMap<>();
    for (TopicView v : page.items()) {
      byName.put(v.stats().name(), v);
    }
    Exchanges.json(ctx, mapper, 200, new TopicTree(tree(byName), page.next()));
  }

  /** A name prefix: the characters names are made of, at most a name's length. */
  private static String prefix(String text) {
    if (text.length() > MAX_PREFIX || !NAME_CHARACTERS.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "must be the beginning of a topic name: 1 to "
              + MAX_PREFIX
              + " characters of A-Z a-z 0-9 _ - .");
    }
    return text;
  }

  /** Builds the tree: every topic under the chain of its name's prefixes. */
  private List<TopicTree.Node> tree(Map<MailboxName, TopicView> byName) {
    Branch root = new Branch("", "");
    for (MailboxName name : byName.keySet()) {
      Branch at = root;
      StringBuilder prefix = new StringBuilder();
      for (String segment : name.segments()) {
        if (!prefix.isEmpty()) {
          prefix.append('.');
        }
        prefix.append(segment);
        String full = prefix.toString();
        at = at.children.computeIfAbsent(segment, s -> new Branch(full, s));
      }
      at.topic = Optional.of(byName.get(name));
    }
    return root.nodes(this);
  }

  private static final class Branch {
    final String name;
    final String segment;
    final Map<String, Branch> children = new TreeMap<>();
    Optional<TopicView> topic = Optional.empty();

    Branch(String name, String segment) {
      this.name = name;
      this.segment = segment;
    }

    List<TopicTree.Node> nodes(TopicRoutes routes) {
      List<TopicTree.Node> out = new ArrayList<>(children.size());
      for (Branch b : children.values()) {
        out.add(new TopicTree.Node(b.name, b.segment, b.topic.map(routes::view), b.nodes(routes)));
      }
      return out;
    }
  }

  /** {@code GET /v1/topics/{name}}: 404 for a topic the caller may not see, as for none. */
  void get(Context ctx) {
    MailboxName name = SubscriptionRoutes.name(ctx);
    Exchanges.json(ctx, mapper, 200, view(topics.view(Exchanges.principal(ctx), name)));
  }

  /** {@code DELETE /v1/topics/{name}}. */
  void delete(Context ctx) {
    topics.delete(Exchanges.principal(ctx), SubscriptionRoutes.name(ctx));
    ctx.status(204);
  }

  /**
   * {@code POST /v1/topics/{name}/join}: subscribes the caller to the topic by its exact name (the
   * body, optional, takes the subscription settings). Joining twice answers the existing
   * subscription with 200. A topic that does not exist is created if topics are created on publish.
   */
  void join(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    MailboxName name = SubscriptionRoutes.name(ctx);
    SubscriptionPattern pattern = SubscriptionPattern.of(name.value());
    FieldErrors errors = new FieldErrors();
    byte[] raw = bodyBytes(ctx);
    ObjectNode body =
        new String(raw, StandardCharsets.UTF_8).isBlank()
            ? mapper.createObjectNode()
            : JsonBodies.readObject(mapper, raw);
    BodyFields fields = BodyFields.of(body, errors).allow(SubscriptionRoutes.joinFields());
    DeliveryService.Request request = SubscriptionRoutes.request(fields, Optional.of(pattern));
    List<Subscription> existing = deliveries.exact(caller, pattern);
    if (!existing.isEmpty()) {
      Subscription s = existing.getFirst();
      Exchanges.json(ctx, mapper, 200, SubscriptionRoutes.view(s, deliveries.queued(s.id())));
      return;
    }
    boolean exists = topics.exists(name);
    if (!exists && !topics.autoCreate()) {
      throw new MailroomException.NotFound(
          "no topic " + name + " (topics are not created on demand; create it first)");
    }
    if (!exists) {
      // A mailbox's name, or a caller with its maximum of topics: refuse before subscribing.
      topics.requireCreatable(caller, name);
    }
    Subscription s = deliveries.subscribe(caller, request); // may refuse: nothing created yet
    if (!exists) {
      try {
        topics.configure(caller, TopicConfig.inheritAll(name));
      } catch (RuntimeException e) {
        deliveries.unsubscribe(caller, s.id()); // a refused join creates neither
        throw e;
      }
    }
    ctx.header("Location", "/v1/subscriptions/" + s.id());
    Exchanges.json(ctx, mapper, 201, SubscriptionRoutes.view(s, 0));
  }

  private static byte[] bodyBytes(Context ctx) {
    try (InputStream in = Exchanges.body(ctx, Exchanges.SMALL_BODY)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  /** {@code POST /v1/topics/{name}/leave}: removes the caller's subscriptions to the exact name. */
  void leave(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    MailboxName name = SubscriptionRoutes.name(ctx);
    List<Subscription> joined = deliveries.exact(caller, SubscriptionPattern.of(name.value()));
    if (joined.isEmpty()) {
      throw new MailroomException.NotFound("you have not joined topic " + name);
    }
    for (Subscription s : joined) {
      deliveries.unsubscribe(caller, s.id());
    }
    ctx.status(204);
  }

  dev.mailroom.protocol.TopicView view(TopicView v) {
    Optional<TopicConfig> c = v.config();
    return new dev.mailroom.protocol.TopicView(
        v.stats().name().value(),
        new dev.mailroom.protocol.TopicView.Config(
            c.flatMap(TopicConfig::description),
            c.flatMap(TopicConfig::retention).map(Duration::toSeconds),
            c.flatMap(
                x ->
                    x.maxSubscribers().isPresent()
                        ? Optional.of(x.maxSubscribers().getAsInt())
                        : Optional.empty()),
            c.flatMap(TopicConfig::cleanupAfter).map(Duration::toSeconds)),
        new dev.mailroom.protocol.TopicView.Settings(
            v.settings().retention().toSeconds(),
            v.settings().maxSubscribers(),
            v.settings().cleanupAfter().toSeconds()),
        new dev.mailroom.protocol.TopicView.Stats(
            v.stats().messages(),
            v.subscribers(),
            v.peakSubscribers(),
            v.stats().lastMessageAt(),
            v.stats().createdAt()));
  }
}
