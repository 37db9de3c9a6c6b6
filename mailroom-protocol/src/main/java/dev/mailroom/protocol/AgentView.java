package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A registered agent as the directory shows it (never its token). Everyone sees its public fields;
 * {@code roles} and {@code token_expires_at} are shown only to admins and to the agent itself, and
 * are absent otherwise. The profile fields are the agent's own words: untrusted text.
 *
 * @param roles its roles; empty (absent from the JSON) when the viewer may not see them
 * @param tokenExpiresAt when its token stops authenticating; absent for never, or when hidden
 * @param displayName the name it gives itself
 * @param description what its role or task is
 * @param program the program it runs in (such as an agent harness)
 * @param model the model it runs on
 * @param tags what it may be found by
 * @param lastSeen when it last authenticated or was connected (to about a minute)
 * @param online whether it has a stream, a waiting long poll or an MCP session open on any node
 * @param retiredAt when an admin retired it; absent while it is active
 */
public record AgentView(
    String id,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> roles,
    Instant createdAt,
    Optional<Instant> tokenExpiresAt,
    Optional<String> displayName,
    Optional<String> description,
    Optional<String> program,
    Optional<String> model,
    List<String> tags,
    Optional<Instant> lastSeen,
    boolean online,
    Optional<Instant> retiredAt) {
  public AgentView {
    roles = roles == null ? List.of() : List.copyOf(roles);
    tokenExpiresAt = orEmpty(tokenExpiresAt);
    displayName = orEmpty(displayName);
    description = orEmpty(description);
    program = orEmpty(program);
    model = orEmpty(model);
    tags = tags == null ? List.of() : List.copyOf(tags);
    lastSeen = orEmpty(lastSeen);
    retiredAt = orEmpty(retiredAt);
  }

  /** An active agent with no profile, never seen. */
  public AgentView(
      String id, List<String> roles, Instant createdAt, Optional<Instant> tokenExpiresAt) {
    this(
        id,
        roles,
        createdAt,
        tokenExpiresAt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        false,
        Optional.empty());
  }

  /** Whether an admin retired it. */
  public boolean retired() {
    return retiredAt.isPresent();
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }
}
