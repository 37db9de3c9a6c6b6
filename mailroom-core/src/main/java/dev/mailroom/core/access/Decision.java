package dev.mailroom.core.access;

import java.util.Optional;

/**
 * The answer to "may this caller do this there?", with why.
 *
 * @param rule the rule that decided, when one did (else a built-in default did)
 * @param reason one sentence a person can read
 */
public record Decision(boolean allowed, Optional<AclRule> rule, String reason) {
  static Decision allow(String reason) {
    return new Decision(true, Optional.empty(), reason);
  }

  static Decision deny(String reason) {
    return new Decision(false, Optional.empty(), reason);
  }

  static Decision by(AclRule rule) {
    boolean allowed = rule.effect() == AclRule.Effect.ALLOW;
    return new Decision(
        allowed,
        Optional.of(rule),
        "rule "
            + rule.id()
            + " ("
            + rule.effect().wireName()
            + " "
            + rule.grantee()
            + " on "
            + rule.resource()
            + ") "
            + (allowed ? "allows" : "denies")
            + " it");
  }
}
