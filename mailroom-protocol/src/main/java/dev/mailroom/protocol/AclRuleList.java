package dev.mailroom.protocol;

import java.util.List;

/** The permission rules ({@code GET /v1/acl}) and the policy's version. */
public record AclRuleList(long version, List<AclRuleView> rules) {
  public AclRuleList {
    rules = List.copyOf(rules);
  }
}
