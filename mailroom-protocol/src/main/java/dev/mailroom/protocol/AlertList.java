package dev.mailroom.protocol;

import java.util.List;

/**
 * The alert rules of the answering node and the alerts firing on it ({@code GET /v1/admin/alerts}).
 *
 * @param enabled whether the node evaluates alerts ({@code mailroom.alerts.enabled})
 * @param intervalSeconds how often it evaluates them
 * @param node the server process that answered, by the name of its audit chain: every node
 *     evaluates its own rules
 */
public record AlertList(
    List<AlertRuleView> rules,
    List<AlertView> firing,
    boolean enabled,
    double intervalSeconds,
    String node) {
  public AlertList {
    rules = List.copyOf(rules);
    firing = List.copyOf(firing);
  }
}
