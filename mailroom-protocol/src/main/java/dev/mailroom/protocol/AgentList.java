package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of the registered agents ({@code GET /v1/agents}), by id.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page (and
 *     absent from servers that answered every agent at once)
 */
public record AgentList(
    List<AgentView> agents, @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public AgentList {
    agents = List.copyOf(agents);
  }

  /** A whole list: one page with nothing after it. */
  public AgentList(List<AgentView> agents) {
    this(agents, Optional.empty());
  }
}
