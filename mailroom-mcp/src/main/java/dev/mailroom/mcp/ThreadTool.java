package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Order;
import dev.mailroom.client.PageRequest;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * get_thread: one conversation as far as the caller can read it, from {@code GET
 * /v1/threads/{thread_id}}: every message of the thread in every mailbox, topic and broadcast,
 * oldest first, a page at a time. A page that does not fit in one result is asked for again with as
 * many messages as fit, so the cursor the result gives continues right after the last one shown.
 */
final class ThreadTool {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private ThreadTool() {}

  static Tool getThread() {
    return Tool.of(
        "get_thread",
        "Get a conversation thread",
        "Show a conversation: every message of a thread that you may read, wherever it was sent"
            + " (your inbox, shared mailboxes, topics), oldest first. Give the thread id or any"
            + " message of it. Long threads come a page at a time: when the result has a"
            + " next_cursor, call get_thread again with the same thread_id and that cursor.",
        Tool.Effect.READS,
        Schema.object()
            .string("message_id", "Any message of the thread.")
            .string("thread_id", "The thread's id (a message's thread_id).")
            .string("cursor", "The next_cursor of the previous call, to read the next page.")
            .integer("limit", "Most messages to return; default 100.", 1, MAX_LIMIT)
            .bool("full", "Whole payloads instead of 2,000-character previews."),
        ThreadTool::thread);
  }

  private static String thread(MailroomClient client, Args args) {
    args.requireOneOf("message_id", "thread_id");
    String thread;
    if (args.string("message_id").isPresent()) {
      MessageView m = client.messages().get(args.requiredString("message_id"));
      thread = m.threadId().orElse(m.id());
    } else {
      thread = args.requiredString("thread_id");
    }
    int limit = args.integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
    Optional<String> cursor = args.string("cursor");

    MessagePage page = client.threads().page(thread, Order.ASC, request(limit, cursor));
    Rendering r = Rendering.of(args.flag("full"));
    ObjectNode result = Rendering.object();
    int added = r.messages(result.putArray("messages"), page.messages());
    if (added < page.messages().size()) {
      // Ask again for exactly what fits, so that the page's cursor follows the last one shown.
      page = client.threads().page(thread, Order.ASC, request(added, cursor));
      r = Rendering.of(args.flag("full"));
      result = Rendering.object();
      r.messages(result.putArray("messages"), page.messages());
    }
    result.put("thread_id", thread);
    r.skipped(page.skipped());
    Optional<String> next = page.nextCursor();
    result.put("next_cursor", next.orElse(null));
    if (next.isPresent()) {
      r.note(
          "more messages of this thread follow: call get_thread again with thread_id="
              + thread
              + " and cursor="
              + next.get());
    } else if (page.messages().isEmpty() && cursor.isEmpty()) {
      r.note("no message of this thread is readable by you");
    }
    return r.write(result);
  }

  private static PageRequest request(int limit, Optional<String> cursor) {
    PageRequest page = PageRequest.of(limit);
    return cursor.map(page::withCursor).orElse(page);
  }
}
