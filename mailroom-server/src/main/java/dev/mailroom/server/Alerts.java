package dev.mailroom.server;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Periodic;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.alert.AlertEvaluator;
import dev.mailroom.core.alert.AlertEvent;
import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates this node's alert rules every {@link AlertSettings#interval()} on a thread of its own,
 * {@code mailroom-alerts}. When an alert fires or resolves it logs a {@code WARN} line, and
 * publishes a message from the {@code admin} agent to the topic {@code mailroom.alerts.<rule>}
 * (created if it does not exist), with a JSON payload naming the rule, the signal, the subject, the
 * state ({@code firing} or {@code resolved}), the value, both thresholds, since when and the node;
 * the gauge {@code mailroom_alerts_firing{rule}} counts each rule's firing alerts.
 *
 * <p>Every node evaluates its own rules: a rule on a store-wide signal (dead letters, backlogs)
 * fires on each node that holds it, and each message names its node. A message that cannot be
 * published (the store is down and has no spool) is logged and not retried: the gauge and {@code
 * GET /v1/admin/alerts} still show the alert.
 */
final class Alerts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
  private static final Principal SENDER = new Principal(AdminBootstrap.ADMIN, Set.of(Role.ADMIN));

  private final AlertSettings settings;
  private final AlertEvaluator evaluator;
  private final AlertEvaluator.Readings readings;
  private final MessageService messages;
  private final TopicService topics;
  private final JsonMapper mapper;
  private final MeterRegistry registry;
  private final String node;
  // Guarded by itself.
  private final Map<String, Gauge> gauges = new HashMap<>();
  private @Nullable Periodic schedule;

  Alerts(
      AlertSettings settings,
      AlertEvaluator.Readings readings,
      MessageService messages,
      TopicService topics,
      JsonMapper mapper,
      MeterRegistry registry,
      InstantSource clock,
      String node) {
    this.settings = settings;
    this.evaluator = new AlertEvaluator(settings.enabled() ? settings.rules() : List.of(), clock);
    this.readings = readings;
    this.messages = messages;
    this.topics = topics;
    this.mapper = mapper;
    this.registry = registry;
    this.node = node;
    evaluator.rules().forEach(r -> gauge(r.name()));
  }

  /** Starts evaluating, unless alerts are off. */
  Alerts start() {
    if (settings.enabled()) {
      schedule = Periodic.every("mailroom-alerts", settings.interval(), this::runOnce);
    }
    return this;
  }

  AlertSettings settings() {
    return settings;
  }

  AlertEvaluator evaluator() {
    return evaluator;
  }

  String node() {
    return node;
  }

  /**
   * Adds or replaces a rule on this node.
   *
   * @return true if it is new
   * @throws IllegalStateException if alerts are off, or it is new and the node holds its maximum
   */
  boolean put(AlertRule rule) {
    if (!settings.enabled()) {
      throw new IllegalStateException("alerts are off on this node (mailroom.alerts.enabled)");
    }
    boolean created = evaluator.put(rule);
    gauge(rule.name());
    return created;
  }

  /** Removes a rule on this node, and its gauge; false if there was none of that name. */
  boolean remove(String name) {
    boolean removed = evaluator.remove(name);
    synchronized (gauges) {
      Gauge g = gauges.remove(name);
      if (g != null) {
        registry.remove(g);
      }
    }
    return removed;
  }

  /** One evaluation: what fired or resolved is logged and published. Never throws. */
  void runOnce() {
    try {
      for (AlertEvent e : evaluator.evaluate(readings)) {
        LOG.warn(
            "alert {} {}{}: {} is {} (fires at {}, resolves at {})",
            e.rule().name(),
            e.state().wireName(),
            e.subject().isEmpty() ? "" : " for " + e.subject(),
            e.rule().signal().wireName(),
            e.value(),
            e.rule().fireAt(),
            e.rule().resolveAt());
        publish(e);
      }
    } catch (RuntimeException e) {
      LOG.warn("evaluating the alert rules failed", e);
    }
  }

  private void publish(AlertEvent e) {
    MailboxName topic = MailboxName.of(e.rule().topic());
    Draft draft =
        new Draft(
            SendMode.TOPIC,
            Optional.of(topic),
            ContentType.APPLICATION_JSON,
            Optional.empty(),
            Payload.ofText(mapper.writeValueAsString(payload(e))),
            e.state() == AlertEvent.State.FIRING ? Priority.HIGH : Priority.NORMAL,
            List.of(Tag.of("alert"), Tag.of(e.state().wireName())),
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    try {
      try {
        messages.send(SENDER, draft);
      } catch (MailroomException.NotFound missing) {
        // Topics are not created on publish here: the alert's topic is made first.
        topics.configure(SENDER, TopicConfig.inheritAll(topic));
        messages.send(SENDER, draft);
      }
    } catch (RuntimeException x) {
      LOG.warn("the alert {} could not be published to {}", e.rule().name(), topic, x);
    }
  }

  private Map<String, Object> payload(AlertEvent e) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("rule", e.rule().name());
    p.put("signal", e.rule().signal().wireName());
    p.put("state", e.state().wireName());
    p.put("subject", e.subject());
    p.put("value", e.value());
    p.put("fire_at", e.rule().fireAt());
    p.put("resolve_at", e.rule().resolveAt());
    p.put("since", e.since().toString());
    p.put("at", e.at().toString());
    p.put("node", node);
    return p;
  }

  private void gauge(String rule) {
    synchronized (gauges) {
      gauges.computeIfAbsent(
          rule,
          r ->
              Gauge.builder("mailroom.alerts.firing", evaluator, ev -> ev.firingCount(r))
                  .description("Alerts of a rule firing on this node")
                  .tag("rule", r)
                  .register(registry));
    }
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.close();
    }
  }
}
