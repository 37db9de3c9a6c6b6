package dev.mailroom.client;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.Payload;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spi.StoreObserver;
import dev.mailroom.core.spi.TopicStore;
import dev.mailroom.protocol.JsonLimits;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A store that holds messages no client can decode, as a corrupted store, or one written by a
 * server with looser limits, would: an {@code application/json} payload sent as {@link #MARKER} is
 * stored nested {@link #DEPTH} levels deep, more than clients read ({@link
 * JsonLimits#READER_MAX_DEPTH}). Every other message is stored as sent. The server writes stored
 * payloads out without parsing them again, so the message reaches clients as stored.
 */
public final class UndecodableMessages implements Storage {
  /** Sent as the payload of an {@code application/json} message, makes it undecodable. */
  public static final JsonNode MARKER =
      JsonNodeFactory.instance.objectNode().put("make", "me undecodable");

  /** How deep an undecodable payload is stored. */
  public static final int DEPTH = JsonLimits.READER_MAX_DEPTH + 10;

  private static final String MARKER_TEXT = "{\"make\":\"me undecodable\"}";

  private final Storage store;
  private final MessageStore messages;

  UndecodableMessages(Storage store) {
    this.store = store;
    this.messages = new Messages(store.messages());
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public AgentStore agents() {
    return store.agents();
  }

  @Override
  public DeliveryStore deliveries() {
    return store.deliveries();
  }

  @Override
  public TopicStore topics() {
    return store.topics();
  }

  @Override
  public AccessStore access() {
    return store.access();
  }

  @Override
  public AuditStore audit() {
    return store.audit();
  }

  @Override
  public BlobStore blobs() {
    return store.blobs();
  }

  @Override
  public ReservationStore reservations() {
    return store.reservations();
  }

  @Override
  public dev.mailroom.core.spi.ObligationStore obligations() {
    return store.obligations();
  }

  @Override
  public PresenceStore presence() {
    return store.presence();
  }

  @Override
  public StoreHealth health() {
    return store.health();
  }

  @Override
  public void listen(ChangeListener listener) {
    store.listen(listener);
  }

  @Override
  public void observe(StoreObserver observer) {
    store.observe(observer);
  }

  @Override
  public void close() {
    store.close();
  }

  private record Messages(MessageStore store) implements MessageStore {
    @Override
    public SendResult send(OutgoingMessage message, Route route) {
      Draft d = message.draft();
      if (d.contentType() != ContentType.APPLICATION_JSON
          || !d.payload().text().equals(MARKER_TEXT)) {
        return store.send(message, route);
      }
      Payload deep = Payload.ofText("[".repeat(DEPTH) + "]".repeat(DEPTH));
      Draft undecodable =
          new Draft(
              d.mode(),
              d.target(),
              d.contentType(),
              d.language(),
              deep,
              d.priority(),
              d.tags(),
              d.metadata(),
              d.ttl(),
              d.threadId(),
              d.inReplyTo(),
              d.idempotencyKey());
      return store.send(new OutgoingMessage(message.sender(), undecodable, message.ttl()), route);
    }

    @Override
    public Optional<Message> find(MessageId id) {
      return store.find(id);
    }

    @Override
    public boolean contains(MailboxName mailbox, MessageId id) {
      return store.contains(mailbox, id);
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxName name) {
      return store.mailbox(name);
    }

    @Override
    public Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader) {
      return store.mailboxStats(name, reader);
    }

    @Override
    public Page<Envelope> query(MessageQuery query) {
      return store.query(query);
    }

    @Override
    public Page<Envelope> thread(
        ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit) {
      return store.thread(thread, reader, position, order, limit);
    }

    @Override
    public dev.mailroom.core.search.SearchPage search(
        dev.mailroom.core.search.SearchRequest request) {
      return store.search(request);
    }

    @Override
    public long unreadCount(MailboxName mailbox, AgentId reader) {
      return store.unreadCount(mailbox, reader);
    }

    @Override
    public boolean markRead(MessageId id, AgentId reader) {
      return store.markRead(id, reader);
    }

    @Override
    public boolean markUnread(MessageId id, AgentId reader) {
      return store.markUnread(id, reader);
    }

    @Override
    public List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit) {
      return store.readers(id, after, limit);
    }

    @Override
    public Set<BlobId> referenced(Set<BlobId> blobs) {
      return store.referenced(blobs);
    }

    @Override
    public CleanupReport purgeExpired(int maxRows) {
      return store.purgeExpired(maxRows);
    }
  }
}
