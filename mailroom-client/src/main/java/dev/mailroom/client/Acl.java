package dev.mailroom.client;

import dev.mailroom.protocol.AccessExplanation;
import dev.mailroom.protocol.AclGrantRequest;
import dev.mailroom.protocol.AclRuleList;
import dev.mailroom.protocol.AclRuleView;

/**
 * Permission rules ({@code /v1/acl}, admins only): grant, revoke, list and explain. Changes apply
 * to the next request on every node. Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class Acl {
  private final Rest rest;

  Acl(Rest rest) {
    this.rest = rest;
  }

  /** Every rule, in the order granted, with the policy's version. */
  public AclRuleList list() {
    return rest.get("v1", "acl").fetch(AclRuleList.class);
  }

  /**
   * Grants (or, with effect {@code deny}, denies) actions on a name or pattern.
   *
   * <pre>{@code
   * client.acl().grant(new AclGrantRequest("agent:alice", List.of("read", "write"),
   *     "team.secret", Optional.of("allow")));
   * }</pre>
   */
  public AclRuleView grant(AclGrantRequest rule) {
    return rest.post("v1", "acl").body(rule).fetch(AclRuleView.class);
  }

  /** Removes a rule by its id. */
  public void revoke(String ruleId) {
    rest.delete("v1", "acl", ruleId).send();
  }

  /**
   * Whether {@code agent} may do {@code action} ({@code read}, {@code write}, {@code subscribe},
   * {@code admin}) on {@code resource}, and which rule or default decides.
   */
  public AccessExplanation explain(String agent, String action, String resource) {
    return rest.get("v1", "acl", "explain")
        .query("agent", agent)
        .query("action", action)
        .query("resource", resource)
        .fetch(AccessExplanation.class);
  }
}
