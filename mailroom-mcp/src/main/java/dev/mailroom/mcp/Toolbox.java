package dev.mailroom.mcp;

import dev.mailroom.protocol.AgentView;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every tool, in the order {@code tools/list} shows them. Both transports list the same tools with
 * the same schemas; what differs is {@link LocalFiles}: whether the tools that take a path
 * (attachments by path, get_attachment's save_to) may touch the files of the machine they run on.
 */
final class Toolbox {
  private Toolbox() {}

  /**
   * @param files the files the tools may read and write: the process's own over stdio, none over
   *     HTTP
   */
  static List<Tool> all(LocalFiles files) {
    List<Tool> tools = new ArrayList<>();
    tools.add(whoami());
    tools.addAll(ReadTools.all());
    tools.addAll(SendTools.all(files));
    tools.addAll(ReadStateTools.all());
    tools.addAll(ObligationTools.all());
    tools.add(ThreadTool.getThread());
    tools.add(SearchTool.searchMessages());
    tools.add(AttachmentTool.getAttachment(files));
    tools.addAll(TopicTools.all());
    tools.addAll(ReservationTools.all());
    tools.addAll(DirectoryTools.all());
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
