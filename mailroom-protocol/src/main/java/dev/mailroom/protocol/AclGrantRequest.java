package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/acl}.
 *
 * @param grantee {@code agent:<id>}, {@code role:<name>} or {@code *}
 * @param actions some of {@code read}, {@code write}, {@code subscribe}, {@code admin}
 * @param resource a mailbox or topic name or pattern
 * @param effect {@code allow} (the server's default when absent) or {@code deny}
 */
public record AclGrantRequest(
    String grantee, List<String> actions, String resource, Optional<String> effect) {
  public AclGrantRequest {
    actions = List.copyOf(actions);
  }
}
