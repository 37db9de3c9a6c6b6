package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** mark_read and acknowledge: per-message state, for a list of ids at once. */
final class ReadStateTools {
  static final int MAX_IDS = 100;

  private ReadStateTools() {}

  static List<Tool> all() {
    return List.of(markRead(), acknowledge());
  }

  static Tool markRead() {
    return Tool.of(
        "mark_read",
        "Mark messages read",
        "Mark messages read for you (or unread again with unread=true); marking read also"
            + " acknowledges the delivery.",
        Tool.Effect.WRITES_IDEMPOTENT,
        Schema.object()
            .strings("ids", "The message ids.", MAX_IDS)
            .bool("unread", "Mark them unread instead.")
            .required("ids"),
        (client, args) -> {
          boolean unread = args.flag("unread");
          return each(
              args.strings("ids"),
              unread ? "marked_unread" : "marked_read",
              id -> {
                if (unread) {
                  client.messages().markUnread(id);
                } else {
                  client.messages().markRead(id);
                }
                return true;
              });
        });
  }

  static Tool acknowledge() {
    return Tool.of(
        "acknowledge",
        "Acknowledge deliveries",
        "Acknowledge messages to you: the server stops retrying their deliveries (it"
            + " dead-letters a delivery unacknowledged after its last attempt), their senders see"
            + " the acknowledgement in their receipts, and it meets what you owe for a message"
            + " that asked for one (ack_required; see list_obligations).",
        Tool.Effect.WRITES_IDEMPOTENT,
        Schema.object().strings("ids", "The message ids.", MAX_IDS).required("ids"),
        (client, args) ->
            each(
                args.strings("ids"),
                "acknowledged",
                id -> client.messages().ack(id).acknowledged()));
  }

  /**
   * Applies {@code action} to each id: the ids it changed go under {@code done}, those with nothing
   * to change (already acknowledged, or never pending) under {@code unchanged}, and refusals under
   * {@code failed} with the reason. Fails as a whole only when every id was refused.
   */
  private static String each(List<String> ids, String done, Function<String, Boolean> action) {
    ObjectNode result = Rendering.object();
    ArrayNode changed = result.putArray(done);
    List<String> unchanged = new ArrayList<>();
    ObjectNode failed = Rendering.object();
    @Nullable MailroomClientException last = null;
    int refused = 0;
    for (String id : ids) {
      try {
        if (action.apply(id)) {
          changed.add(id);
        } else {
          unchanged.add(id);
        }
      } catch (MailroomClientException e) {
        if (e.kind().retryable()) {
          throw e;
        }
        failed.put(id, Failures.describe(e));
        last = e;
        refused++;
      }
    }
    if (last != null && refused == ids.size()) {
      throw last;
    }
    if (!unchanged.isEmpty()) {
      ArrayNode a = result.putArray("unchanged");
      unchanged.forEach(a::add);
    }
    if (!failed.isEmpty()) {
      result.set("failed", failed);
    }
    return Rendering.json(result);
  }
}
