package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.SubscriptionIndex;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.protocol.AgentStats;
import dev.mailroom.protocol.BacklogView;
import dev.mailroom.protocol.MailboxStatsView;
import dev.mailroom.protocol.SystemStats;
import dev.mailroom.server.stream.StreamHub;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Statistics: {@code GET /v1/stats} (the system, admins only), {@code GET
 * /v1/mailboxes/{name}/stats} (one mailbox, for whoever may read it) and {@code GET
 * /v1/agents/{id}/stats} (one agent, for itself or an admin). Counts come from the store; rates,
 * open streams and last-seen times are the answering node's.
 */
final class StatsRoutes {
  /** How many backlogs {@code GET /v1/stats} lists. */
  static final int TOP_BACKLOGS = 10;

  private static final int AGENT_PAGE = 1000;

  private final Storage storage;
  private final MessageService messages;
  private final SubscriptionIndex subscriptions;
  private final StreamHub hub;
  private final ServerMetrics metrics;
  private final InstantSource clock;
  private final JsonMapper mapper;
  private final String node;

  StatsRoutes(
      Storage storage,
      MessageService messages,
      SubscriptionIndex subscriptions,
      StreamHub hub,
      ServerMetrics metrics,
      InstantSource clock,
      JsonMapper mapper,
      String node) {
    this.storage = storage;
    this.messages = messages;
    this.subscriptions = subscriptions;
    this.hub = hub;
    this.metrics = metrics;
    this.clock = clock;
    this.mapper = mapper;
    this.node = node;
  }

  /**
   * {@code GET /v1/stats}. Counting the agents reads every agent record, in pages: on a store of
   * very many agents this is the costly part.
   */
  void system(Context ctx) {
    Exchanges.requireAdmin(ctx, "read the system's statistics");
    noQuery(ctx);
    Instant now = clock.instant();
    DeliveryTotals totals = storage.deliveries().totals();
    SystemStats.Counts counts =
        new SystemStats.Counts(
            agentCount(),
            storage.topics().topics().size(),
            totals.subscriptions(),
            totals.pending(),
            totals.deadLetters(),
            hub.openStreams(),
            metrics.activeAgents());
    RecentCounts recent = metrics.recent();
    SystemStats.Rates rates =
        new SystemStats.Rates(
            60,
            recent.perSecond(RecentCounts.Kind.REQUESTS),
            recent.perSecond(RecentCounts.Kind.SENDS),
            recent.perSecond(RecentCounts.Kind.DELIVERIES),
            recent.perSecond(RecentCounts.Kind.ACKS),
            recent.errorRate(),
            latency(recent.deliveryLatencyMillis()));
    List<BacklogView> top =
        storage.deliveries().backlogs(TOP_BACKLOGS).stream().map(b -> view(b, now)).toList();
    Exchanges.json(
        ctx,
        mapper,
        200,
        new SystemStats(node, now, storage.health().backend(), counts, rates, top));
  }

  /** {@code GET /v1/mailboxes/{name}/stats}. */
  void mailbox(Context ctx) {
    noQuery(ctx);
    FieldErrors errors = new FieldErrors();
    Optional<MailboxName> name =
        errors.capture("name", () -> MailboxName.of(ctx.pathParam("name")));
    errors.throwIfAny();
    MailboxStats s = messages.mailboxStats(Exchanges.principal(ctx), name.orElseThrow());
    Instant now = clock.instant();
    Optional<Instant> oldestUnread = s.oldestUnread().map(MessageId::timestamp);
    MailboxKind kind = s.info().kind();
    Exchanges.json(
        ctx,
        mapper,
        200,
        new MailboxStatsView(
            s.info().name().value(),
            kind.name().toLowerCase(java.util.Locale.ROOT),
            s.info().size(),
            s.total(),
            s.info().dropped(),
            s.pending(),
            s.unread(),
            oldestUnread,
            oldestUnread.map(t -> seconds(Duration.between(t, now))),
            s.oldestMessage().map(MessageId::timestamp),
            s.lastMessageAt(),
            s.createdAt(),
            kind == MailboxKind.AGENT ? 1 : subscriptions.subscriberCount(s.info().name())));
  }

  /** {@code GET /v1/agents/{id}/stats}. */
  void agent(Context ctx) {
    noQuery(ctx);
    AgentId id = AgentRoutes.selfOrAdmin(ctx, "see the statistics of");
    if (storage.agents().find(id).isEmpty()) {
      throw new MailroomException.NotFound("no agent " + id);
    }
    Instant now = clock.instant();
    List<BacklogView> backlogs = new ArrayList<>();
    List<SubscriptionId> ways = new ArrayList<>();
    ways.add(SubscriptionId.INBOX);
    subscriptions.of(id).stream().map(Subscription::id).forEach(ways::add);
    for (SubscriptionId way : ways) {
      storage.deliveries().backlog(id, way).ifPresent(b -> backlogs.add(view(b, now)));
    }
    backlogs.sort(Comparator.comparingLong(BacklogView::pending).reversed());
    Exchanges.json(
        ctx,
        mapper,
        200,
        new AgentStats(
            id.value(),
            node,
            metrics.lastSeen(id).map(ago -> now.minus(ago)),
            hub.session(id).map(s -> new AgentStats.Stream(s.openedAt())),
            backlogs));
  }

  private long agentCount() {
    long n = 0;
    Optional<AgentId> after = Optional.empty();
    while (true) {
      List<AgentRecord> page = storage.agents().list(after, AGENT_PAGE);
      n += page.size();
      if (page.size() < AGENT_PAGE) {
        return n;
      }
      after = Optional.of(page.getLast().id());
    }
  }

  private static BacklogView view(Backlog b, Instant now) {
    Instant oldest = b.oldest().timestamp();
    return new BacklogView(
        b.agent().value(),
        b.subscription().value(),
        b.pending(),
        oldest,
        seconds(Duration.between(oldest, now)));
  }

  /** A duration in seconds, to the millisecond, never negative. */
  private static double seconds(Duration d) {
    return Math.max(0, d.toMillis()) / 1000.0;
  }

  private static void noQuery(Context ctx) {
    FieldErrors errors = new FieldErrors();
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    errors.throwIfAny();
  }

  /** A mean latency rounded to a tenth of a millisecond, if there is one. */
  private static Optional<Double> latency(OptionalDouble millis) {
    return millis.isPresent()
        ? Optional.of(Math.round(millis.getAsDouble() * 10) / 10.0)
        : Optional.empty();
  }
}
