package dev.mailroom.server;

import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts stored messages to their wire form. The idempotency key is never shown: it is the
 * sender's private dedupe handle.
 */
final class MessageViews {
  private final PayloadCodec payloads;

  MessageViews(PayloadCodec payloads) {
    this.payloads = payloads;
  }

  MessageView view(Message m, Optional<Instant> readAt) {
    List<String> tags = new ArrayList<>(m.tags().size());
    for (Tag t : m.tags()) {
      tags.add(t.value());
    }
    return new MessageView(
        m.id().toString(),
        m.timestamp(),
        m.sender().value(),
        m.mode().wireName(),
        m.target().map(MailboxName::value),
        m.contentType().mediaType(),
        m.language(),
        payloads.encode(m.contentType(), m.payload()),
        m.priority().wireName(),
        tags,
        PayloadCodec.rawJson(m.metadata()),
        m.expiresAt(),
        m.threadId().map(ThreadId::value),
        m.inReplyTo().map(MessageId::toString),
        readAt,
        attachments(m));
  }

  private static List<AttachmentView> attachments(Message m) {
    if (m.attachments().isEmpty()) {
      return List.of();
    }
    List<AttachmentView> views = new ArrayList<>(m.attachments().size());
    String base = "/v1/messages/" + m.id() + "/attachments/";
    for (int n = 0; n < m.attachments().size(); n++) {
      Attachment a = m.attachments().get(n);
      views.add(new AttachmentView(n, a.name(), a.contentType(), a.size(), a.sha256(), base + n));
    }
    return views;
  }

  MessagePage page(Page<Envelope> page, Order order) {
    List<MessageView> views = new ArrayList<>(page.items().size());
    for (Envelope e : page.items()) {
      views.add(view(e.message(), e.readAt()));
    }
    return new MessagePage(views, page.next().map(id -> CursorCodec.encode(order, id)));
  }
}
