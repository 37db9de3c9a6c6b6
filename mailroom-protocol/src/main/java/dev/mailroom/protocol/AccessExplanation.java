package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * Why an agent may or may not do something ({@code GET /v1/acl/explain}).
 *
 * @param rule the rule that decided, when one did (else a built-in default did)
 * @param considered every rule that applied, the deciding one first
 */
public record AccessExplanation(
    String agent,
    String action,
    String resource,
    boolean allowed,
    String reason,
    Optional<AclRuleView> rule,
    List<AclRuleView> considered) {
  public AccessExplanation {
    considered = List.copyOf(considered);
  }
}
