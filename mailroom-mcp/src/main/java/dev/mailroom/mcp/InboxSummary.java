package dev.mailroom.mcp;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.MessagePage;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caller's unread mail in brief: how many, and short previews of the oldest ones. What
 * check_inbox answers and the {@code mailroom://inbox} resource holds.
 */
final class InboxSummary {
  static final int DEFAULT_SHOWN = 10;

  private InboxSummary() {}

  static String of(MailroomClient client, int shown) {
    long unread = client.messages().unreadCount().unread();
    MessagePage page =
        client.messages().inbox(ListQuery.builder().unread(true).limit(shown).build());
    Rendering r = Rendering.summary();
    ObjectNode result = Rendering.object();
    result.put("unread", unread);
    int added = r.messages(result.putArray("messages"), page.messages());
    r.skipped(page.skipped());
    if (unread == 0) {
      r.note("no unread mail; wait_for_messages waits for some");
    } else if (unread > added && added > 0) {
      r.note(
          (unread - added)
              + " more unread: call read_messages with unread=true and after_id="
              + page.messages().get(added - 1).id());
    }
    return r.write(result);
  }
}
