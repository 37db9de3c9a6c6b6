package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A permission rule as the API shows it.
 *
 * @param grantee {@code agent:<id>}, {@code role:<name>} or {@code *}
 * @param actions some of {@code read}, {@code write}, {@code subscribe}, {@code admin}
 * @param resource a mailbox or topic name or pattern; it covers the names below it too
 * @param effect {@code allow} or {@code deny}
 */
public record AclRuleView(
    String id,
    String grantee,
    List<String> actions,
    String resource,
    String effect,
    Instant createdAt,
    String createdBy) {
  public AclRuleView {
    actions = List.copyOf(actions);
  }
}
