package dev.mailroom.mcp;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.Order;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** check_inbox, read_messages and wait_for_messages. */
final class ReadTools {
  static final int MAX_LIMIT = 50;
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_WAIT_SECONDS = 60;
  static final int DEFAULT_WAIT_SECONDS = 20;

  /** The read_messages arguments that select or page messages, which {@code ids} replaces. */
  private static final List<String> SELECTORS =
      List.of(
          "mailbox",
          "unread",
          "sender",
          "min_priority",
          "content_type",
          "tags",
          "after_id",
          "before_id",
          "since",
          "until",
          "max_age_seconds",
          "thread_id",
          "order",
          "limit",
          "cursor");

  private ReadTools() {}

  static List<Tool> all() {
    return List.of(checkInbox(), readMessages(), waitForMessages());
  }

  static Tool checkInbox() {
    return Tool.of(
        "check_inbox",
        "Check the inbox",
        "How many unread messages you have, with short previews of the oldest ones, and any"
            + " obligations past their deadline: replies or acknowledgements you owe (owed_by_me,"
            + " answer these first) and those owed to you (owed_to_me).",
        Tool.Effect.READS,
        Schema.object().integer("limit", "Previews to show; default 10.", 1, MAX_LIMIT),
        (client, args) ->
            InboxSummary.of(client, args.integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT)));
  }

  private static Schema output(Schema s) {
    return s.integer("limit", "Most messages to return; default 10.", 1, MAX_LIMIT)
        .bool(
            "full",
            "Whole payloads (up to 100,000 characters each) instead of 2,000-character previews.")
        .bool("mark_read", "Also mark the returned messages read.");
  }

  static Tool readMessages() {
    return Tool.of(
        "read_messages",
        "Read messages",
        "Read messages from your inbox (or a mailbox's or topic's history) with filters, or"
            + " fetch messages by id; oldest first unless order=desc.",
        Tool.Effect.READS,
        output(
            Filters.basic(
                    Schema.object()
                        .strings("ids", "Fetch exactly these message ids (no other filters).", 50)
                        .string(
                            "mailbox",
                            "Read this shared mailbox's or topic's history instead of your inbox.")
                        .bool("unread", "true: only unread messages; false: only read ones."))
                .string("before_id", "Only messages with an id less than this (older than it).")
                .string(
                    "thread_id",
                    "Only messages of this thread (in this mailbox; get_thread shows a whole"
                        + " thread wherever its messages are).")
                .string("since", "Only messages created at or after this ISO-8601 time.")
                .string("until", "Only messages created at or before this ISO-8601 time.")
                .integer(
                    "max_age_seconds",
                    "Only messages created within this many seconds.",
                    1,
                    Integer.MAX_VALUE)
                .choice(
                    "order",
                    "asc (default): oldest first; desc: newest first.",
                    List.of("asc", "desc"))
                .string("cursor", "The next_cursor of the previous call, to read the next page.")),
        ReadTools::read);
  }

  static Tool waitForMessages() {
    return Tool.of(
        "wait_for_messages",
        "Wait for messages",
        "Wait until unread messages are in your inbox (at most timeout_seconds) and return them;"
            + " returns at once if some are already there, so pass after_id to wait for newer"
            + " ones only.",
        Tool.Effect.READS,
        output(
            Filters.basic(
                Schema.object()
                    .integer(
                        "timeout_seconds",
                        "How long to wait; default 20. Keep it below your client's request"
                            + " timeout.",
                        1,
                        MAX_WAIT_SECONDS))),
        ReadTools::waitFor);
  }

  private static String read(MailroomClient client, Args args) {
    Rendering r = Rendering.of(args.flag("full"));
    ObjectNode result = Rendering.object();
    List<String> ids = args.strings("ids");
    List<MessageView> shown;
    if (!ids.isEmpty()) {
      List<String> also = args.given(SELECTORS);
      if (!also.isEmpty()) {
        throw new Args.BadArgument("ids", "cannot be combined with " + String.join(", ", also));
      }
      shown = byId(client, ids, r);
      r.messages(result.putArray("messages"), shown);
    } else {
      ListQuery.Builder q = Filters.basic(args, ListQuery.builder());
      args.bool("unread").ifPresent(q::unread);
      args.string("before_id").ifPresent(q::beforeId);
      args.string("thread_id").ifPresent(q::threadId);
      args.string("since").ifPresent(s -> q.since(Filters.instant("since", s)));
      args.string("until").ifPresent(s -> q.until(Filters.instant("until", s)));
      args.integer("max_age_seconds", 1, Integer.MAX_VALUE)
          .ifPresent(s -> q.maxAge(Duration.ofSeconds(s)));
      Order order = args.choice("order", Order.class).orElse(Order.ASC);
      q.order(order).limit(args.integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT));
      args.string("cursor").ifPresent(q::cursor);
      Optional<String> mailbox = args.string("mailbox");
      MessagePage page =
          mailbox.isPresent()
              ? client.messages().history(mailbox.get(), q.build())
              : client.messages().inbox(q.build());
      shown = page(r, result, page, order);
    }
    if (args.flag("mark_read")) {
      markRead(client, shown, result, r);
    }
    return r.write(result);
  }

  private static String waitFor(MailroomClient client, Args args) {
    int seconds = args.integer("timeout_seconds", 1, MAX_WAIT_SECONDS).orElse(DEFAULT_WAIT_SECONDS);
    ListQuery q =
        Filters.basic(args, ListQuery.builder())
            .unread(true)
            .limit(args.integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT))
            .build();
    MessagePage page = client.messages().inbox(q, Duration.ofSeconds(seconds));
    Rendering r = Rendering.of(args.flag("full"));
    ObjectNode result = Rendering.object();
    List<MessageView> shown = page(r, result, page, Order.ASC);
    if (shown.isEmpty()) {
      r.note(
          "no unread messages came within "
              + seconds
              + " s; call wait_for_messages again to keep waiting");
    } else {
      r.note(
          "to wait only for newer messages next time, pass after_id="
              + shown.get(shown.size() - 1).id());
    }
    if (args.flag("mark_read")) {
      markRead(client, shown, result, r);
    }
    return r.write(result);
  }

  /** Renders a page within the budget; answers the messages shown. */
  private static List<MessageView> page(
      Rendering r, ObjectNode result, MessagePage page, Order order) {
    List<MessageView> messages = page.messages();
    int added = r.messages(result.putArray("messages"), messages);
    r.skipped(page.skipped());
    if (added < messages.size()) {
      String last = messages.get(added - 1).id();
      r.note(
          (messages.size() - added)
              + " more messages did not fit in this result; call read_messages again with "
              + (order == Order.ASC ? "after_id=" : "before_id=")
              + last
              + " (or a smaller limit)");
    } else {
      page.nextCursor()
          .ifPresent(
              c -> {
                result.put("next_cursor", c);
                r.note("more messages may follow: call read_messages again with cursor=" + c);
              });
    }
    return messages.subList(0, added);
  }

  private static List<MessageView> byId(MailroomClient client, List<String> ids, Rendering r) {
    List<MessageView> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    @Nullable MailroomClientException last = null;
    for (String id : ids) {
      try {
        found.add(client.messages().get(id));
      } catch (MailroomClientException e) {
        if (e.kind().retryable()) {
          throw e;
        }
        missing.add(id + " (" + Failures.describe(e) + ")");
        last = e;
      }
    }
    if (found.isEmpty() && last != null) {
      throw last;
    }
    if (!missing.isEmpty()) {
      r.note("not shown: " + String.join("; ", missing));
    }
    return found;
  }

  private static void markRead(
      MailroomClient client, List<MessageView> messages, ObjectNode result, Rendering r) {
    int marked = 0;
    for (MessageView m : messages) {
      try {
        client.messages().markRead(m.id());
        marked++;
      } catch (MailroomClientException e) {
        r.note("could not mark " + m.id() + " read: " + Failures.describe(e));
      }
    }
    result.put("marked_read", marked);
  }
}
