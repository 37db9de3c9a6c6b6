package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.DeliveryService;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.protocol.SubscriptionList;
import dev.mailroom.protocol.SubscriptionView;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/subscriptions}: subscribe, list, inspect, unsubscribe. */
final class SubscriptionRoutes {
  static final int DEFAULT_MAX_QUEUE_SIZE = 10_000;
  static final int MAX_MAX_QUEUE_SIZE = 1_000_000;
  static final int DEFAULT_BATCH_SIZE = 10;
  static final int MAX_BATCH_SIZE = 1000;
  static final double DEFAULT_BATCH_WINDOW_SECONDS = 5;
  static final double MAX_BATCH_WINDOW_SECONDS = 3600;

  /** The fields of a join: a subscription's settings without its pattern. */
  private static final Set<String> JOIN_FIELDS =
      Set.of(
          "delivery_mode",
          "filter",
          "max_queue_size",
          "auto_ack",
          "batch_size",
          "batch_window_seconds");

  private static final Set<String> FIELDS = plus(JOIN_FIELDS, "pattern");
  private static final Set<String> FILTER_FIELDS =
      Set.of("sender", "min_priority", "content_type", "tags");

  private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");

  private final DeliveryService deliveries;
  private final JsonMapper mapper;
  private final HttpLimits http;

  SubscriptionRoutes(DeliveryService deliveries, JsonMapper mapper, HttpLimits http) {
    this.deliveries = deliveries;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code POST /v1/subscriptions}. */
  void create(Context ctx) {
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, Exchanges.SMALL_BODY));
    DeliveryService.Request request =
        request(body, pattern -> Exchanges.auditResource(ctx, pattern.toString()));
    Subscription s = deliveries.subscribe(Exchanges.principal(ctx), request);
    ctx.header("Location", "/v1/subscriptions/" + s.id());
    Exchanges.json(ctx, mapper, 201, view(s, 0));
  }

  /**
   * The request of a {@code POST /v1/subscriptions} body, after checking every field. A valid
   * pattern goes to {@code validPattern} before the other fields are checked, so that a refusal can
   * still name what it was about.
   *
   * @throws MailroomException.InvalidRequest naming every unknown or invalid field
   */
  static DeliveryService.Request request(
      ObjectNode body, Consumer<SubscriptionPattern> validPattern) {
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(FIELDS);
    Optional<SubscriptionPattern> pattern =
        fields
            .requiredString("pattern")
            .flatMap(p -> errors.capture("pattern", () -> SubscriptionPattern.of(p)));
    pattern.ifPresent(validPattern);
    return request(fields, pattern);
  }

  /**
   * The settings of a subscription request ({@code POST /v1/subscriptions} or a topic join), after
   * checking every field.
   */
  static DeliveryService.Request request(BodyFields fields, Optional<SubscriptionPattern> pattern) {
    FieldErrors errors = fields.errors();
    DeliveryMode mode =
        fields
            .string("delivery_mode")
            .flatMap(m -> errors.capture("delivery_mode", () -> mode(m)))
            .orElse(DeliveryMode.REALTIME);
    MessageFilter filter =
        fields.object("filter").map(SubscriptionRoutes::filter).orElse(MessageFilter.NONE);
    int maxQueue =
        fields
            .integer("max_queue_size", 1, MAX_MAX_QUEUE_SIZE)
            .map(Long::intValue)
            .orElse(DEFAULT_MAX_QUEUE_SIZE);
    boolean autoAck = fields.bool("auto_ack").orElse(false);
    int batchSize =
        fields
            .integer("batch_size", 1, MAX_BATCH_SIZE)
            .map(Long::intValue)
            .orElse(DEFAULT_BATCH_SIZE);
    double window =
        fields
            .number("batch_window_seconds", 0, MAX_BATCH_WINDOW_SECONDS)
            .orElse(DEFAULT_BATCH_WINDOW_SECONDS);
    errors.throwIfAny();
    return new DeliveryService.Request(
        pattern.orElseThrow(),
        mode,
        filter,
        batchSize,
        Duration.ofNanos(Math.max(1_000_000L, (long) (window * 1e9))),
        maxQueue,
        autoAck);
  }

  static Set<String> joinFields() {
    return JOIN_FIELDS;
  }

  /** The fields of a {@code POST /v1/subscriptions} body. */
  static Set<String> fields() {
    return FIELDS;
  }

  private static Set<String> plus(Set<String> set, String element) {
    Set<String> union = new java.util.HashSet<>(set);
    union.add(element);
    return Set.copyOf(union);
  }

  private static DeliveryMode mode(String text) {
    return switch (text) {
      case "realtime" -> DeliveryMode.REALTIME;
      case "batch" -> DeliveryMode.BATCH;
      case "polling" -> DeliveryMode.POLLING;
      default ->
          throw MailroomException.InvalidRequest.field(
              "delivery_mode", "must be realtime, batch or polling");
    };
  }

  private static MessageFilter filter(BodyFields f) {
    FieldErrors errors = f.errors();
    f.allow(FILTER_FIELDS);
    Optional<AgentId> sender =
        f.string("sender").flatMap(s -> errors.capture(f.fieldName("sender"), () -> AgentId.of(s)));
    Optional<Priority> minPriority =
        f.string("min_priority")
            .flatMap(s -> errors.capture(f.fieldName("min_priority"), () -> Priority.parse(s)));
    Optional<ContentType> contentType =
        f.string("content_type")
            .flatMap(s -> errors.capture(f.fieldName("content_type"), () -> ContentType.parse(s)));
    Set<Tag> tags = new LinkedHashSet<>();
    List<String> given = f.strings("tags");
    for (int i = 0; i < given.size(); i++) {
      String t = given.get(i);
      errors.capture(f.fieldName("tags[" + i + "]"), () -> Tag.of(t)).ifPresent(tags::add);
    }
    return MessageFilter.content(sender, minPriority, contentType, tags);
  }

  /** {@code GET /v1/subscriptions?limit=&cursor=}: the caller's own, by id, a page at a time. */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    NamedPaging.Request<SubscriptionId> r =
        NamedPaging.request(q, http, CursorCodec.Named.SUBSCRIPTIONS, SubscriptionId::of);
    errors.throwIfAny();
    NamedPaging.Page<Subscription> page =
        NamedPaging.cut(
            deliveries.subscriptions(Exchanges.principal(ctx), r.after(), r.limit() + 1),
            r.limit(),
            CursorCodec.Named.SUBSCRIPTIONS,
            s -> s.id().value());
    List<SubscriptionView> views = new ArrayList<>(page.items().size());
    for (Subscription s : page.items()) {
      views.add(view(s, deliveries.queued(s.id())));
    }
    Exchanges.json(ctx, mapper, 200, new SubscriptionList(views, page.next()));
  }

  /** {@code GET /v1/subscriptions/{id}}. */
  void get(Context ctx) {
    Subscription s = deliveries.subscription(Exchanges.principal(ctx), id(ctx));
    Exchanges.json(ctx, mapper, 200, view(s, deliveries.queued(s.id())));
  }

  /** {@code DELETE /v1/subscriptions/{id}}. */
  void delete(Context ctx) {
    deliveries.unsubscribe(Exchanges.principal(ctx), id(ctx));
    ctx.status(204);
  }

  private static SubscriptionId id(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<SubscriptionId> id =
        errors.capture("id", () -> SubscriptionId.of(ctx.pathParam("id")));
    errors.throwIfAny();
    return id.orElseThrow();
  }

  static SubscriptionView view(Subscription s, long queued) {
    MessageFilter f = s.filter();
    List<String> tags = f.tags().stream().map(Tag::value).sorted().toList();
    return new SubscriptionView(
        s.id().value(),
        s.agent().value(),
        s.pattern().value(),
        s.mode().name().toLowerCase(Locale.ROOT),
        new SubscriptionView.Filter(
            f.sender().map(AgentId::value),
            f.minPriority().map(Priority::wireName),
            f.contentType().map(ContentType::mediaType),
            tags),
        s.batchSize(),
        s.batchWindow().toMillis() / 1000.0,
        s.maxQueueSize(),
        s.autoAck(),
        s.createdAt(),
        queued);
  }

  /** A name given in a path, checked. */
  static MailboxName name(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<MailboxName> name =
        errors.capture("name", () -> MailboxName.of(ctx.pathParam("name")));
    errors.throwIfAny();
    return name.orElseThrow();
  }

  static Principal caller(Context ctx) {
    return Exchanges.principal(ctx);
  }
}
