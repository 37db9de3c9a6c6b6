package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Obligations;
import dev.mailroom.client.PageRequest;
import dev.mailroom.protocol.ObligationList;
import dev.mailroom.protocol.ObligationView;
import dev.mailroom.protocol.ReceiptList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * get_receipts and list_obligations: whether anyone picked a message up, and what is owed to and by
 * the caller. Names in the results are agents' and mailboxes' ids (checked names, never free text);
 * they go out as JSON strings like every other value.
 */
final class ObligationTools {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private ObligationTools() {}

  static List<Tool> all() {
    return List.of(getReceipts(), listObligations());
  }

  static Tool getReceipts() {
    return Tool.of(
        "get_receipts",
        "Did anyone pick my message up?",
        "For a message you sent: each recipient's furthest step (queued, delivered, read,"
            + " acknowledged, replied) with the time of each, and what the message asked for"
            + " (ack_required, reply_by) and whether it is open, overdue or met. For a shared"
            + " mailbox or topic the recipients are the agents that fetched, read, acknowledged"
            + " or answered it; an empty list means nobody has yet.",
        Tool.Effect.READS,
        Schema.object()
            .string("message_id", "The id of a message you sent.")
            .string("cursor", "The next_cursor of the previous call, for more recipients.")
            .integer("limit", "Most recipients to return; default 50.", 1, MAX_LIMIT)
            .required("message_id"),
        ObligationTools::receipts);
  }

  static Tool listObligations() {
    return Tool.of(
        "list_obligations",
        "What is owed to me and by me",
        "List obligations, newest first. role=owed_by_me: messages to you that asked for an"
            + " acknowledgement or a reply (answer with reply or acknowledge); with mailbox, those"
            + " sent to a shared mailbox or topic, met by whoever answers first. role=owed_to_me:"
            + " your messages still waiting. state: open, overdue, met (default open and overdue).",
        Tool.Effect.READS,
        Schema.object()
            .choice("role", "Whose obligations.", List.of("owed_by_me", "owed_to_me"))
            .strings("state", "States to list; default open and overdue.", 3)
            .string("mailbox", "With owed_by_me: a shared mailbox or topic you may read.")
            .string("cursor", "The next_cursor of the previous call, for the next page.")
            .integer("limit", "Most obligations to return; default 50.", 1, MAX_LIMIT)
            .required("role"),
        ObligationTools::obligations);
  }

  private static String receipts(MailroomClient client, Args args) {
    String id = args.requiredString("message_id");
    ReceiptList list = client.messages().receipts(id, page(args));
    ObjectNode result = Rendering.object();
    result.put("message_id", list.messageId());
    list.obligation().ifPresent(o -> result.set("obligation", obligation(o)));
    ArrayNode receipts = result.putArray("receipts");
    for (ReceiptList.Receipt r : list.receipts()) {
      ObjectNode n = receipts.addObject();
      n.put("agent_id", r.agentId());
      n.put("state", r.state());
      n.put("queued_at", r.queuedAt().toString());
      r.deliveredAt().ifPresent(t -> n.put("delivered_at", t.toString()));
      r.readAt().ifPresent(t -> n.put("read_at", t.toString()));
      r.acknowledgedAt().ifPresent(t -> n.put("acknowledged_at", t.toString()));
      r.repliedAt().ifPresent(t -> n.put("replied_at", t.toString()));
      r.replyId().ifPresent(t -> n.put("reply_id", t));
    }
    result.put("next_cursor", list.nextCursor().orElse(null));
    if (list.receipts().isEmpty()) {
      result.put("note", "nobody has fetched, read, acknowledged or answered it yet");
    }
    return Rendering.json(result);
  }

  private static String obligations(MailroomClient client, Args args) {
    Obligations.Role role =
        args.choice("role", Obligations.Role.class)
            .orElseThrow(() -> new Args.BadArgument("role", "is required"));
    Set<Obligations.State> states = EnumSet.noneOf(Obligations.State.class);
    for (String s : args.strings("state")) {
      try {
        states.add(Obligations.State.valueOf(s.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new Args.BadArgument("state", "must hold open, overdue or met, not '" + s + "'");
      }
    }
    Optional<String> mailbox = args.string("mailbox");
    if (mailbox.isPresent() && role != Obligations.Role.OWED_BY_ME) {
      throw new Args.BadArgument("mailbox", "is only for role owed_by_me");
    }
    ObligationList list = client.obligations().list(role, states, mailbox, page(args));
    ObjectNode result = Rendering.object();
    ArrayNode items = result.putArray("obligations");
    list.obligations().forEach(o -> items.add(obligation(o)));
    result.put("next_cursor", list.nextCursor().orElse(null));
    return Rendering.json(result);
  }

  private static ObjectNode obligation(ObligationView o) {
    ObjectNode n = Rendering.object();
    n.put("message_id", o.messageId());
    n.put("sender", o.sender());
    n.put("owed_by", o.owedBy());
    n.put("thread_id", o.threadId());
    n.put("owed", o.ackRequired() ? "an acknowledgement or a reply" : "a reply");
    o.replyBy().ifPresent(t -> n.put("reply_by", t.toString()));
    n.put("state", o.state());
    if (o.late()) {
      n.put("late", true);
    }
    o.metBy().ifPresent(v -> n.put("met_by", v));
    o.metHow().ifPresent(v -> n.put("met_how", v));
    o.metAt().ifPresent(t -> n.put("met_at", t.toString()));
    o.replyId().ifPresent(v -> n.put("reply_id", v));
    return n;
  }

  private static PageRequest page(Args args) {
    PageRequest page = PageRequest.of(args.integer("limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT));
    return args.string("cursor").map(page::withCursor).orElse(page);
  }
}
