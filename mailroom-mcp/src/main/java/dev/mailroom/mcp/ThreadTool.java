package dev.mailroom.mcp;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.Order;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * get_thread: one conversation as far as the caller can read it. The REST API has no thread filter,
 * so the tool gathers the thread's messages from the caller's newest inbox messages, then follows
 * {@code in_reply_to} to the messages they answer (the caller's own among them) and fetches the
 * message that names the thread.
 */
final class ThreadTool {
  /** Newest inbox messages searched for the thread. */
  static final int SCAN = 1_000;

  /** Most messages fetched by id while following answers. */
  static final int MAX_FETCHES = 50;

  private static final int PAGE = 200;

  private ThreadTool() {}

  static Tool getThread() {
    return Tool.of(
        "get_thread",
        "Get a conversation thread",
        "Show a conversation: the messages of a thread you can read, oldest first, given the"
            + " thread id or any message of it.",
        Tool.Effect.READS,
        Schema.object()
            .string("message_id", "Any message of the thread.")
            .string("thread_id", "The thread's id (a message's thread_id).")
            .bool("full", "Whole payloads instead of 2,000-character previews."),
        ThreadTool::thread);
  }

  private static String thread(MailroomClient client, Args args) {
    args.requireOneOf("message_id", "thread_id");
    Map<String, MessageView> found = new TreeMap<>(); // ids sort in time order
    String thread;
    if (args.string("message_id").isPresent()) {
      MessageView m = client.messages().get(args.requiredString("message_id"));
      thread = m.threadId().orElse(m.id());
      found.put(m.id(), m);
    } else {
      thread = args.requiredString("thread_id");
    }
    boolean scannedAll = scanInbox(client, thread, found);
    followAnswers(client, thread, found);

    Rendering r = Rendering.of(args.flag("full"));
    ObjectNode result = Rendering.object();
    result.put("thread_id", thread);
    int added = r.messages(result.putArray("messages"), new ArrayList<>(found.values()));
    if (added < found.size()) {
      r.note(
          (found.size() - added)
              + " later messages did not fit in this result; read them with read_messages and"
              + " ids");
    }
    if (!scannedAll) {
      r.note("only your newest " + Rendering.chars(SCAN) + " inbox messages were searched");
    }
    if (found.isEmpty()) {
      r.note("no message of this thread is in your inbox or readable by you");
    }
    return r.write(result);
  }

  /** Answers whether the whole inbox was searched. */
  private static boolean scanInbox(
      MailroomClient client, String thread, Map<String, MessageView> found) {
    Iterator<MessagePage> pages =
        client.messages().inboxPages(ListQuery.builder().order(Order.DESC).limit(PAGE).build());
    int scanned = 0;
    while (pages.hasNext()) {
      if (scanned >= SCAN) {
        return false;
      }
      for (MessageView m : pages.next().messages()) {
        scanned++;
        if (inThread(m, thread)) {
          found.put(m.id(), m);
        }
      }
    }
    return true;
  }

  /**
   * Fetches the messages that the found ones answer, and the one that names the thread (a reply
   * without a thread starts one named after the message it answers), as far as the caller may read
   * them.
   */
  private static void followAnswers(
      MailroomClient client, String thread, Map<String, MessageView> found) {
    Deque<String> wanted = new ArrayDeque<>();
    wanted.add(thread);
    found.values().forEach(m -> m.inReplyTo().ifPresent(wanted::add));
    int fetches = 0;
    while (!wanted.isEmpty() && fetches < MAX_FETCHES) {
      String id = wanted.poll();
      if (found.containsKey(id)) {
        continue;
      }
      fetches++;
      try {
        MessageView m = client.messages().get(id);
        if (inThread(m, thread)) {
          found.put(m.id(), m);
          m.inReplyTo().ifPresent(wanted::add);
        }
      } catch (MailroomClientException e) {
        if (e.kind().retryable()) {
          throw e;
        }
        // not a message id, gone, or not the caller's to read: the thread goes without it
      }
    }
  }

  private static boolean inThread(MessageView m, String thread) {
    return m.id().equals(thread) || m.threadId().filter(thread::equals).isPresent();
  }
}
