package dev.mailroom.client;

import dev.mailroom.protocol.AlertList;
import dev.mailroom.protocol.AlertRuleView;

/**
 * The alert rules of the server process this client talks to, and the alerts firing on it ({@code
 * /v1/admin/alerts}, admins only). Each node evaluates its own rules and publishes what fires and
 * resolves to the topic {@code mailroom.alerts.<rule>}. A change applies at once to that node alone
 * and lasts until it restarts (every node starts with the rules of its configuration): on several
 * nodes, call each node's URL. Changes are audited. Immutable and thread-safe. Every method throws
 * {@link MailroomClientException} on failure.
 */
public final class Alerts {
  private final Rest rest;

  Alerts(Rest rest) {
    this.rest = rest;
  }

  /** The node's rules, the alerts firing on it, and whether and how often it evaluates them. */
  public AlertList list() {
    return rest.get("v1", "admin", "alerts").fetch(AlertList.class);
  }

  /**
   * Adds a rule, or replaces the rule of that name. A replacement that changes only the thresholds
   * keeps the rule's firing alerts, judged by the new ones; one that changes the signal forgets
   * them, without resolve messages.
   *
   * @param name the rule's name: 1 to 64 of {@code a-z 0-9 _ -}; its alerts go to the topic {@code
   *     mailroom.alerts.<name>}
   * @param signal what it watches: {@code dead_letters}, {@code backlog_pending}, {@code
   *     backlog_oldest_seconds}, {@code spool_depth}, {@code error_rate} or {@code disk_free_bytes}
   * @param fireAt the value at which an alert fires (at or above it; at or below it for {@code
   *     disk_free_bytes}); 0 or more
   * @param resolveAt the value past which a firing alert resolves: below {@code fireAt} (above it
   *     for {@code disk_free_bytes}), so that a value hovering at the threshold does not fire again
   *     and again
   * @return the rule as the node now holds it
   * @throws MailroomClientException of kind {@link MailroomClientException.Kind#BAD_REQUEST} naming
   *     the field that is wrong, or {@link MailroomClientException.Kind#CONFLICT} when the node
   *     already holds 64 rules or does not evaluate alerts ({@code mailroom.alerts.enabled=false})
   */
  public AlertRuleView put(String name, String signal, double fireAt, double resolveAt) {
    return rest.put("v1", "admin", "alerts", "rules", name)
        .body(new RuleBody(signal, fireAt, resolveAt))
        .fetch(AlertRuleView.class);
  }

  /**
   * Removes a rule; the alerts it had firing are forgotten, without a resolve message.
   *
   * @throws MailroomClientException of kind {@link MailroomClientException.Kind#NOT_FOUND} if the
   *     node has no rule of that name
   */
  public void remove(String name) {
    rest.delete("v1", "admin", "alerts", "rules", name).send();
  }

  /** The body of {@code PUT /v1/admin/alerts/rules/{name}}. */
  record RuleBody(String signal, double fireAt, double resolveAt) {}
}
