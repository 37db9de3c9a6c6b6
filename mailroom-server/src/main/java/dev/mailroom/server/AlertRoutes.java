package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.alert.AlertEvaluator;
import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.alert.Signal;
import dev.mailroom.protocol.AlertList;
import dev.mailroom.protocol.AlertRuleView;
import dev.mailroom.protocol.AlertView;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/admin/alerts}: admins read this node's alert rules and firing alerts, and add, change
 * or remove a rule at run time. Like log levels, a change is this node's alone (until it restarts;
 * the configuration's rules file is what every node starts with), is audited like every request
 * with the rule as the record's resource, and is logged at {@code INFO}.
 */
final class AlertRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRoutes.class);
  private static final Set<String> FIELDS = Set.of("signal", "fire_at", "resolve_at");
  private static final long MAX_BODY_BYTES = 4 * 1024;
  static final String NAME = "name";

  private final Alerts alerts;
  private final JsonMapper mapper;

  AlertRoutes(Alerts alerts, JsonMapper mapper) {
    this.alerts = alerts;
    this.mapper = mapper;
  }

  /** {@code GET /v1/admin/alerts}: the rules, then the alerts firing, by rule and subject. */
  void list(Context ctx) {
    Exchanges.requireAdmin(ctx, "read alerts");
    FieldErrors errors = new FieldErrors();
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    errors.throwIfAny();
    AlertEvaluator evaluator = alerts.evaluator();
    List<AlertRuleView> rules =
        evaluator.rules().stream().map(r -> view(r, evaluator.firingCount(r.name()))).toList();
    List<AlertView> firing =
        evaluator.firing().stream()
            .map(
                f ->
                    new AlertView(
                        f.rule().name(),
                        f.rule().signal().wireName(),
                        f.subject(),
                        f.value(),
                        f.since()))
            .toList();
    Exchanges.json(
        ctx,
        mapper,
        200,
        new AlertList(
            rules,
            firing,
            alerts.settings().enabled(),
            alerts.settings().interval().toMillis() / 1000.0,
            alerts.node()));
  }

  /**
   * {@code PUT /v1/admin/alerts/rules/{name}} with {@code {"signal":…,"fire_at":…,"resolve_at":…}}:
   * adds the rule (201) or replaces it (200).
   */
  void put(Context ctx) {
    Exchanges.requireAdmin(ctx, "change alert rules");
    FieldErrors errors = new FieldErrors();
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    String name = ctx.pathParam(NAME);
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    BodyFields fields = BodyFields.of(body, errors).allow(FIELDS);
    if (!AlertRule.validName(name)) {
      errors.add(NAME, AlertRule.NAME_RULE);
    }
    Optional<Signal> signal =
        fields
            .requiredString("signal")
            .flatMap(
                s -> {
                  Optional<Signal> parsed = Signal.parse(s);
                  if (parsed.isEmpty()) {
                    errors.add("signal", "must be one of " + Signal.names());
                  }
                  return parsed;
                });
    Optional<Double> fireAt = threshold(body, errors, "fire_at");
    Optional<Double> resolveAt = threshold(body, errors, "resolve_at");
    errors.throwIfAny();
    // The name and the values are checked above; what is left is how the thresholds relate.
    AlertRule rule =
        errors
            .capture(
                "resolve_at",
                () -> new AlertRule(name, signal.get(), fireAt.get(), resolveAt.get()))
            .orElse(null);
    errors.throwIfAny();
    boolean created;
    try {
      created = alerts.put(rule);
    } catch (IllegalStateException e) {
      throw new MailroomException.Conflict(e.getMessage());
    }
    Exchanges.auditResource(
        ctx,
        rule.name() + "=" + signal.get().wireName() + "@" + fireAt.get() + "/" + resolveAt.get());
    LOG.info(
        "alert rule {} {} by {}: {} fires at {}, resolves at {}",
        rule.name(),
        created ? "added" : "changed",
        Exchanges.principal(ctx).id(),
        rule.signal().wireName(),
        rule.fireAt(),
        rule.resolveAt());
    Exchanges.json(ctx, mapper, created ? 201 : 200, view(rule, 0));
  }

  /** {@code DELETE /v1/admin/alerts/rules/{name}}: removes the rule and forgets its alerts. */
  void delete(Context ctx) {
    Exchanges.requireAdmin(ctx, "change alert rules");
    FieldErrors errors = new FieldErrors();
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    errors.throwIfAny();
    String name = ctx.pathParam(NAME);
    // An invalid name is no rule's: it is not echoed (it may hold anything, line breaks too).
    if (!AlertRule.validName(name) || !alerts.remove(name)) {
      throw new MailroomException.NotFound("this node has no alert rule of that name");
    }
    Exchanges.auditResource(ctx, name);
    LOG.info("alert rule {} removed by {}", name, Exchanges.principal(ctx).id());
    ctx.status(204);
  }

  /** A required threshold: a finite number, 0 or more. */
  private static Optional<Double> threshold(ObjectNode body, FieldErrors errors, String name) {
    JsonNode n = body.get(name);
    double v = n != null && n.isNumber() ? n.numberValue().doubleValue() : Double.NaN;
    if (!Double.isFinite(v) || v < 0) {
      errors.add(name, "is required: a number, 0 or more");
      return Optional.empty();
    }
    return Optional.of(v);
  }

  private static AlertRuleView view(AlertRule r, int firing) {
    return new AlertRuleView(r.name(), r.signal().wireName(), r.fireAt(), r.resolveAt(), firing);
  }
}
