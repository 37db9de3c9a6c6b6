package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of the roles ({@code GET /v1/roles}): the built-in ones first, then the custom ones, each
 * group by name.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page (and
 *     absent from servers that answered every role at once)
 */
public record RoleList(
    List<RoleView> roles, @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public RoleList {
    roles = List.copyOf(roles);
  }

  /** A whole list: one page with nothing after it. */
  public RoleList(List<RoleView> roles) {
    this(roles, Optional.empty());
  }
}
