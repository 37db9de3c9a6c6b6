package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Principal;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.DeliveryService;
import dev.mailroom.protocol.DeadLetterList;
import dev.mailroom.protocol.DeadLetterView;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/dlq}: list, inspect, replay and purge dead letters. An agent handles its own; an admin
 * names an agent with {@code ?agent=} (or none, for everyone's, where that makes sense).
 */
final class DeadLetterRoutes {
  /** The most dead letters one message can have in a page: one per agent, within reason. */
  private static final int MAX_ONE_MESSAGE = 100_000;

  private static final Set<String> LIST_PARAMETERS = Set.of("agent", "after_id", "limit");
  private static final Set<String> ONE_PARAMETERS = Set.of("agent");

  private final DeliveryService deliveries;
  private final MessageViews views;
  private final JsonMapper mapper;
  private final HttpLimits http;

  DeadLetterRoutes(
      DeliveryService deliveries, MessageViews views, JsonMapper mapper, HttpLimits http) {
    this.deliveries = deliveries;
    this.views = views;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code GET /v1/dlq?agent=&after_id=&limit=}. */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    Optional<AgentId> agent = q.single("agent", AgentId::of);
    Optional<MessageId> after = q.single("after_id", MessageId::parse);
    int limit = q.limit(http);
    errors.throwIfAny();
    Principal caller = Exchanges.principal(ctx);
    List<DeadLetter> page = deliveries.deadLetters(caller, agent, after, limit + 1);
    boolean more = page.size() > limit;
    if (more) {
      page = wholeMessages(caller, agent, after, page, limit);
    }
    List<DeadLetterView> out = new ArrayList<>(page.size());
    for (DeadLetter d : page) {
      out.add(view(d));
    }
    Optional<String> next = more ? Optional.of(out.getLast().id()) : Optional.empty();
    Exchanges.json(ctx, mapper, 200, new DeadLetterList(out, next));
  }

  /**
   * The first {@code limit} of a page that has more after it, cut so that a message's dead letters
   * (one per agent, for everyone's list) are never split across pages, since the next page starts
   * after a message id. If one message alone has more than {@code limit}, the page holds all of
   * them.
   */
  private List<DeadLetter> wholeMessages(
      Principal caller,
      Optional<AgentId> agent,
      Optional<MessageId> after,
      List<DeadLetter> page,
      int limit) {
    MessageId boundary = page.get(limit).message().id();
    if (!page.get(limit - 1).message().id().equals(boundary)) {
      return page.subList(0, limit);
    }
    List<DeadLetter> kept = new ArrayList<>();
    for (DeadLetter d : page) {
      if (!d.message().id().equals(boundary)) {
        kept.add(d);
      }
    }
    if (!kept.isEmpty()) {
      return kept;
    }
    // Every dead letter on the page is of one message: take all of that message's.
    List<DeadLetter> all = new ArrayList<>();
    for (DeadLetter d : deliveries.deadLetters(caller, agent, after, MAX_ONE_MESSAGE)) {
      if (d.message().id().equals(boundary)) {
        all.add(d);
      }
    }
    return all;
  }

  /** {@code GET /v1/dlq/{id}}. */
  void get(Context ctx) {
    Target t = target(ctx);
    Exchanges.json(ctx, mapper, 200, view(deliveries.deadLetter(t.caller(), t.agent(), t.id())));
  }

  /** {@code POST /v1/dlq/{id}/replay}: queue it for delivery again, attempts reset. */
  void replay(Context ctx) {
    Target t = target(ctx);
    deliveries.replay(t.caller(), t.agent(), t.id());
    ctx.status(204);
  }

  /** {@code DELETE /v1/dlq/{id}}: remove one dead letter. */
  void purgeOne(Context ctx) {
    Target t = target(ctx);
    deliveries.purge(t.caller(), t.agent(), Optional.of(t.id()));
    ctx.status(204);
  }

  /** {@code DELETE /v1/dlq}: remove all of the caller's (an admin: the named agent's, or all). */
  void purgeAll(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<AgentId> agent = agent(ctx, errors);
    errors.throwIfAny();
    int purged = deliveries.purge(Exchanges.principal(ctx), agent, Optional.empty());
    Exchanges.json(ctx, mapper, 200, Map.of("purged", purged));
  }

  private record Target(Principal caller, Optional<AgentId> agent, MessageId id) {}

  private static Target target(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<AgentId> agent = agent(ctx, errors);
    Optional<MessageId> id = errors.capture("id", () -> MessageId.parse(ctx.pathParam("id")));
    errors.throwIfAny();
    return new Target(Exchanges.principal(ctx), agent, id.orElseThrow());
  }

  /** The only query parameter of the one-letter and purge routes: {@code agent}. */
  private static Optional<AgentId> agent(Context ctx, FieldErrors errors) {
    return new QueryParameters(ctx.queryParamMap(), errors)
        .allow(ONE_PARAMETERS)
        .single("agent", AgentId::of);
  }

  private DeadLetterView view(DeadLetter d) {
    return new DeadLetterView(
        d.message().id().toString(),
        d.agent().value(),
        d.subscription().value(),
        d.attempts(),
        d.reason(),
        d.deadAt(),
        views.view(d.message(), Optional.empty()));
  }
}
