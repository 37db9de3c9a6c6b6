package dev.mailroom.mcp;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.MessagePage;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caller's unread mail in brief: how many, short previews of the oldest ones, and the
 * obligations past their deadline on either side. What check_inbox answers and the {@code
 * mailroom://inbox} resource holds.
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
    overdue(client.messages().inboxSummary().overdue(), result, r);
    return r.write(result);
  }

  /** Adds the overdue obligations, if any, with a note saying what to do about them. */
  private static void overdue(
      dev.mailroom.protocol.InboxSummary.Overdue overdue, ObjectNode result, Rendering r) {
    if (overdue.owedByMe().isEmpty() && overdue.owedToMe().isEmpty()) {
      return;
    }
    ObjectNode o = result.putObject("overdue");
    obligations(o.putArray("owed_by_me"), overdue.owedByMe(), "asked_by");
    obligations(o.putArray("owed_to_me"), overdue.owedToMe(), "owed_by");
    r.note(
        "obligations are overdue: answer those owed_by_me first (reply in the message's thread,"
            + " or acknowledge it where ack_required); list_obligations lists them all");
    if (overdue.more()) {
      r.note("more obligations are overdue than are listed here");
    }
  }

  private static void obligations(
      ArrayNode into,
      List<dev.mailroom.protocol.InboxSummary.Obligation> obligations,
      String counterpart) {
    for (var ob : obligations) {
      into.addObject()
          .put("message_id", ob.messageId())
          .put(counterpart, ob.counterpart())
          .put("reply_by", ob.replyBy().toString())
          .put("ack_required", ob.ackRequired());
    }
  }
}
