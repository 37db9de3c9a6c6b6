package dev.mailroom.protocol;

import java.util.List;

/** Every registered agent ({@code GET /v1/agents}). */
public record AgentList(List<AgentView> agents) {
  public AgentList {
    agents = List.copyOf(agents);
  }
}
