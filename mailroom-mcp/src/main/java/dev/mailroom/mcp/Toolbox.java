package dev.mailroom.mcp;

import dev.mailroom.protocol.AgentView;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Every tool, in the order {@code tools/list} shows them. */
final class Toolbox {
  private Toolbox() {}

  static List<Tool> all() {
    List<Tool> tools = new ArrayList<>();
    tools.add(whoami());
    tools.addAll(ReadTools.all());
    tools.addAll(SendTools.all());
    tools.addAll(ReadStateTools.all());
    tools.add(ThreadTool.getThread());
    tools.addAll(TopicTools.all());
    return List.copyOf(tools);
  }

  static Tool whoami() {
    return Tool.of(
        "whoami",
        "Who am I",
        "Your agent id, roles and token expiry, and how many unread messages you have.",
        Tool.Effect.READS,
        Schema.object(),
        (client, args) -> {
          AgentView me = client.agents().whoami();
          ObjectNode n = Rendering.object();
          n.put("agent_id", me.id());
          ArrayNode roles = n.putArray("roles");
          me.roles().forEach(roles::add);
          me.tokenExpiresAt().ifPresent(t -> n.put("token_expires_at", t.toString()));
          n.put("unread", client.messages().unreadCount().unread());
          return Rendering.json(n);
        });
  }
}
