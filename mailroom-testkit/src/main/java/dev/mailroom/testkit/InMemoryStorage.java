package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageIdGenerator;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.search.Relevance;
import dev.mailroom.core.search.SearchDocument;
import dev.mailroom.core.search.SearchHit;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.ConsoleSession;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Enrollment;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spi.StoreObserver;
import dev.mailroom.core.spi.TopicStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The reference storage: plain collections under one lock, written to be obviously right rather
 * than fast. It is what the filter property test compares real backends with, and a quick store for
 * other modules' unit tests. Nothing survives {@link #close()}.
 *
 * <p>A message is stored once however many mailboxes hold it: a mailbox holds only ids. The
 * delivery queue, the topic bookkeeping, the access policy and the audit log live in {@link
 * InMemoryDeliveries}, {@link InMemoryTopics}, {@link InMemoryAccess} and {@link InMemoryAudit},
 * which share this storage's state and lock.
 *
 * <p>Thread-safe: every operation holds one lock, and the {@link ChangeListener} is called under it
 * once a change is applied, so its calls come in commit order. After {@link #close()} every
 * operation throws {@link MailroomException.Unavailable}.
 */
public final class InMemoryStorage implements Storage, MessageStore, AgentStore {
  final Object lock = new Object();

  /** Told of every change, under {@link #lock}. */
  ChangeListener changes = ChangeListener.NONE;

  final InstantSource clock;
  private final RetentionPolicy retention;
  private final MessageIdGenerator ids;
  private final Map<MessageId, Message> messages = new HashMap<>();
  final Map<MailboxName, Box> boxes = new HashMap<>();
  private final Map<AgentId, Registered> agents = new TreeMap<>();
  private final Map<String, ConsoleSession> sessions = new HashMap<>();
  private final Map<String, Issued> enrollments = new TreeMap<>();
  private final InMemoryPresence presence = new InMemoryPresence();
  private final Map<SenderKey, Remembered> keys = new HashMap<>();
  private final Map<MessageId, Map<AgentId, ReadMark>> reads = new HashMap<>();
  private final InMemoryDeliveries deliveries = new InMemoryDeliveries(this);
  private final InMemoryTopics topics = new InMemoryTopics(this);
  private final InMemoryAccess access = new InMemoryAccess(this);
  private final InMemoryAudit audit = new InMemoryAudit(this);
  private final MemoryBlobStore blobs = new MemoryBlobStore();
  private final InMemoryReservations reservations = new InMemoryReservations(this);
  private final InMemoryObligations obligations = new InMemoryObligations(this);
  private boolean closed;

  private InMemoryStorage(InstantSource clock, RetentionPolicy retention) {
    this.clock = clock;
    this.retention = retention;
    this.ids = MessageIdGenerator.startingAfter(clock, MessageId.of(0));
  }

  /** An empty storage that takes time from {@code clock} and keeps to {@code retention}. */
  public static Storage create(InstantSource clock, RetentionPolicy retention) {
    return new InMemoryStorage(clock, retention);
  }

  /**
   * One mailbox: its kind, the ids it holds (oldest first), how many it dropped, how many it ever
   * received, when it was created and when its latest message arrived.
   */
  static final class Box {
    final MailboxKind kind;
    final Instant createdAt;
    final TreeSet<MessageId> entries = new TreeSet<>();
    long dropped;
    long total;
    Optional<Instant> lastMessageAt = Optional.empty();

    Box(MailboxKind kind, Instant createdAt) {
      this.kind = kind;
      this.createdAt = createdAt;
    }

    /** Takes in a message. */
    void add(MessageId id) {
      entries.add(id);
      total++;
      lastMessageAt = Optional.of(id.timestamp());
    }
  }

  /** An enrollment and the hash of its secret. */
  private record Issued(Enrollment enrollment, String hash) {}

  /** An agent and the hash of its token; empty once revoked. */
  private record Registered(AgentRecord record, Optional<String> tokenHash) {}

  private record SenderKey(AgentId sender, String key) {}

  private record Remembered(MessageId id, int recipients, Instant at) {}

  /** A reader's mark on a message; {@code readAt} is empty once marked unread again. */
  private record ReadMark(Optional<Instant> readAt, Instant changedAt) {}

  // ---- Storage

  @Override
  public MessageStore messages() {
    return this;
  }

  @Override
  public AgentStore agents() {
    return this;
  }

  @Override
  public DeliveryStore deliveries() {
    return deliveries;
  }

  @Override
  public TopicStore topics() {
    return topics;
  }

  @Override
  public AccessStore access() {
    return access;
  }

  @Override
  public AuditStore audit() {
    return audit;
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public ReservationStore reservations() {
    return reservations;
  }

  @Override
  public ObligationStore obligations() {
    return obligations;
  }

  @Override
  public PresenceStore presence() {
    return presence;
  }

  @Override
  public StoreHealth health() {
    synchronized (lock) {
      return new StoreHealth(
          !closed,
          "memory",
          Map.of(
              "messages", messages.size(),
              "mailboxes", boxes.size(),
              "agents", agents.size(),
              "pending", deliveries.pendingCount()));
    }
  }

  @Override
  public void observe(StoreObserver observer) {
    Objects.requireNonNull(observer, "observer"); // nothing to time: no I/O
  }

  @Override
  public void listen(ChangeListener listener) {
    synchronized (lock) {
      ensureOpen();
      changes = Objects.requireNonNull(listener, "listener");
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new MailroomException.Unavailable("the in-memory storage is closed", null);
    }
  }

  // ---- MessageStore

  @Override
  public SendResult send(OutgoingMessage message, Route route) {
    synchronized (lock) {
      ensureOpen();
      Instant now = clock.instant();
      Optional<SenderKey> key =
          message.draft().idempotencyKey().map(k -> new SenderKey(message.sender(), k));
      if (key.isPresent()) {
        Remembered earlier = keys.get(key.get());
        if (earlier != null && now.isBefore(earlier.at().plus(retention.dedupeWindow()))) {
          return new SendResult.Duplicate(earlier.id(), earlier.recipients());
        }
      }
      Plan plan = planOf(route, message.sender());
      MessageId id = ids.next();
      int dropped = 0;
      List<AgentId> reachedAgents = new ArrayList<>();
      for (MailboxName name : plan.mailboxes()) {
        Box box = boxes.get(name);
        if (box == null) {
          box = createBox(name, ((Route.ToMailbox) route).kind(), now);
        }
        if (box.kind == MailboxKind.AGENT) {
          while (box.entries.size() >= retention.maxInboxSize()) {
            deliveries.droppedFromInbox(AgentId.of(name.value()), box.entries.pollFirst());
            box.dropped++;
            dropped++;
          }
          reachedAgents.add(AgentId.of(name.value()));
        }
        box.add(id);
      }
      int reached = route.recipients(plan.mailboxes().size());
      Message stored = message.toMessage(id, reached);
      messages.put(id, stored);
      if (route instanceof Route.ToMailbox to && to.kind() == MailboxKind.TOPIC) {
        topics.published(to.name(), id);
      }
      key.ifPresent(k -> keys.put(k, new Remembered(id, reached, now)));
      Obligation.askedBy(message, route, id).ifPresent(obligations::open);
      List<Recipient> pushed = plan.recipients().stream().filter(Recipient::push).toList();
      for (Recipient r : pushed) {
        deliveries.queue(r.agent(), id, r.subscription(), r.maxQueueSize());
      }
      if (!reachedAgents.isEmpty()) {
        changes.stored(stored, pushed, List.copyOf(reachedAgents));
      }
      return new SendResult.Accepted(id, reached, dropped);
    }
  }

  /** All or nothing: every send is checked before any is stored, as the stores do. */
  @Override
  public List<SendResult> sendAll(List<Send> sends) {
    synchronized (lock) {
      ensureOpen();
      checkKinds(sends);
      return sends.stream().map(s -> send(s.message(), s.route())).toList();
    }
  }

  /**
   * Refuses a batch in which a send would conflict with its mailbox's kind, counting the mailboxes
   * earlier sends of the batch would create. A send whose idempotency key was used before (or
   * earlier in the batch) stores nothing, so it cannot conflict. Call under the lock.
   */
  private void checkKinds(List<Send> sends) {
    Instant now = clock.instant();
    Map<MailboxName, MailboxKind> kinds = new HashMap<>();
    Set<SenderKey> used = new HashSet<>();
    for (Send s : sends) {
      Optional<SenderKey> key =
          s.message().draft().idempotencyKey().map(k -> new SenderKey(s.message().sender(), k));
      if (key.isPresent()) {
        Remembered earlier = keys.get(key.get());
        boolean repeated =
            !used.add(key.get())
                || (earlier != null && now.isBefore(earlier.at().plus(retention.dedupeWindow())));
        if (repeated) {
          continue;
        }
      }
      if (s.route() instanceof Route.ToMailbox to) {
        Box box = boxes.get(to.name());
        MailboxKind existing = kinds.getOrDefault(to.name(), box == null ? null : box.kind);
        if (existing != null && existing != to.kind()) {
          throw new MailroomException.Conflict(
              "mailbox "
                  + to.name()
                  + " is a "
                  + existing.wireName()
                  + " mailbox, not "
                  + to.kind());
        }
        if (existing == null && to.kind() == MailboxKind.AGENT) {
          throw new MailroomException.Conflict("there is no agent " + to.name());
        }
        kinds.put(to.name(), to.kind());
      }
    }
  }

  /** Creates a mailbox; a topic mailbox starts its statistics. */
  Box createBox(MailboxName name, MailboxKind kind, Instant now) {
    Box box = new Box(kind, now);
    boxes.put(name, box);
    if (kind == MailboxKind.TOPIC) {
      topics.created(name, now);
    }
    return box;
  }

  /**
   * What a send does: the mailboxes it puts the message in (the route's own first), and the agents
   * it reaches with the subscription each is reached through.
   */
  private record Plan(List<MailboxName> mailboxes, List<Recipient> recipients) {}

  /** The plan of a route; checks the route before anything is stored. */
  private Plan planOf(Route route, AgentId sender) {
    return switch (route) {
      case Route.ToMailbox to -> {
        MailboxName name = to.name();
        MailboxKind kind = to.kind();
        Box box = boxes.get(name);
        if (box != null && box.kind != kind) {
          throw new MailroomException.Conflict(
              "mailbox " + name + " is a " + box.kind.wireName() + " mailbox, not " + kind);
        }
        if (box == null && kind == MailboxKind.AGENT) {
          throw new MailroomException.Conflict("there is no agent " + name);
        }
        if (kind == MailboxKind.AGENT) {
          yield new Plan(List.of(name), List.of(inbox(AgentId.of(name.value()))));
        }
        List<MailboxName> mailboxes = new ArrayList<>(List.of(name));
        List<Recipient> reached = new ArrayList<>();
        Set<AgentId> seen = new HashSet<>();
        for (Recipient r : to.subscribers()) {
          if (!r.agent().equals(sender) && agents.containsKey(r.agent()) && seen.add(r.agent())) {
            mailboxes.add(r.agent().mailbox());
            reached.add(r);
          }
        }
        yield new Plan(mailboxes, reached);
      }
      case Route.ToAllAgents(AgentId from) -> {
        List<AgentId> others = agents.keySet().stream().filter(a -> !a.equals(from)).toList();
        yield new Plan(
            others.stream().map(AgentId::mailbox).toList(),
            others.stream().map(InMemoryStorage::inbox).toList());
      }
    };
  }

  /** How an agent is reached through its own mailbox. */
  private static Recipient inbox(AgentId agent) {
    return new Recipient(agent, SubscriptionId.INBOX, true, Integer.MAX_VALUE);
  }

  @Override
  public Optional<Message> find(MessageId id) {
    synchronized (lock) {
      ensureOpen();
      return live(id);
    }
  }

  /** A message that has not expired, by id; call under the lock. */
  Optional<Message> live(MessageId id) {
    Instant now = clock.instant();
    return Optional.ofNullable(messages.get(id)).filter(m -> !m.isExpiredAt(now));
  }

  @Override
  public boolean contains(MailboxName mailbox, MessageId id) {
    synchronized (lock) {
      ensureOpen();
      Box box = boxes.get(mailbox);
      return box != null && box.entries.contains(id) && live(id).isPresent();
    }
  }

  @Override
  public Optional<MailboxInfo> mailbox(MailboxName name) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(boxes.get(name))
          .map(b -> new MailboxInfo(name, b.kind, b.entries.size(), b.dropped));
    }
  }

  /**
   * Counted from the mailbox's ids. Its pending deliveries are, for an agent's mailbox, every
   * pending delivery of its agent; for a shared or topic mailbox, those of its messages to every
   * subscriber.
   */
  @Override
  public Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader) {
    synchronized (lock) {
      ensureOpen();
      Box box = boxes.get(name);
      if (box == null) {
        return Optional.empty();
      }
      List<MessageId> live = box.entries.stream().filter(id -> live(id).isPresent()).toList();
      List<MessageId> unread = live.stream().filter(id -> readAt(id, reader).isEmpty()).toList();
      long pending =
          box.kind == MailboxKind.AGENT
              ? deliveries.pendingCount(AgentId.of(name.value()))
              : deliveries.pendingCount(box.entries);
      return Optional.of(
          new MailboxStats(
              new MailboxInfo(name, box.kind, box.entries.size(), box.dropped),
              box.total,
              box.createdAt,
              box.lastMessageAt,
              live.stream().findFirst(),
              pending,
              unread.size(),
              unread.stream().findFirst()));
    }
  }

  @Override
  public Page<Envelope> query(MessageQuery query) {
    synchronized (lock) {
      ensureOpen();
      Box box = boxes.get(query.mailbox());
      if (box == null) {
        return new Page<>(List.of(), Optional.empty());
      }
      Comparator<Envelope> byId = Comparator.comparing(e -> e.message().id());
      List<Envelope> matching =
          box.entries.stream()
              .map(this::live)
              .flatMap(Optional::stream)
              .map(m -> new Envelope(m, readAt(m.id(), query.reader())))
              .filter(e -> query.filter().matches(e.message(), e.isRead()))
              .filter(e -> query.isPastPosition(e.message().id()))
              .sorted(query.order() == Order.ASC ? byId : byId.reversed())
              .toList();
      if (matching.size() <= query.limit()) {
        return new Page<>(matching, Optional.empty());
      }
      List<Envelope> items = matching.subList(0, query.limit());
      return new Page<>(items, Optional.of(items.getLast().message().id()));
    }
  }

  @Override
  public Page<Envelope> thread(
      ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit) {
    if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
    synchronized (lock) {
      ensureOpen();
      Comparator<Message> byId = Comparator.comparing(Message::id);
      List<Envelope> matching =
          messages.keySet().stream()
              .map(this::live)
              .flatMap(Optional::stream)
              .filter(m -> MessageFilter.inThread(m, thread))
              .filter(
                  m ->
                      position.isEmpty()
                          || (order == Order.ASC
                              ? m.id().compareTo(position.get()) > 0
                              : m.id().compareTo(position.get()) < 0))
              .sorted(order == Order.ASC ? byId : byId.reversed())
              .map(m -> new Envelope(m, readAt(m.id(), reader)))
              .toList();
      if (matching.size() <= limit) {
        return new Page<>(matching, Optional.empty());
      }
      List<Envelope> items = matching.subList(0, limit);
      return new Page<>(items, Optional.of(items.getLast().message().id()));
    }
  }

  /**
   * Scans every stored message: the index is the messages themselves. Counts for BM25 are taken
   * over every stored message, expired or not, as FTS5 counts its rows until they are deleted.
   */
  @Override
  public SearchPage search(SearchRequest request) {
    synchronized (lock) {
      ensureOpen();
      SearchQuery query = request.query();
      List<List<String>> documents = new ArrayList<>(messages.size());
      List<Message> stored = new ArrayList<>(messages.values());
      long totalTerms = 0;
      long[] matching = new long[query.phrases().size()];
      List<int[]> occurrences = new ArrayList<>(stored.size());
      for (Message m : stored) {
        List<String> terms = SearchDocument.terms(m);
        documents.add(terms);
        totalTerms += terms.size();
        int[] counts = new int[matching.length];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = query.phrases().get(i).occurrences(terms);
          if (counts[i] > 0) {
            matching[i]++;
          }
        }
        occurrences.add(counts);
      }
      List<SearchHit> hits = new ArrayList<>();
      for (int d = 0; d < stored.size(); d++) {
        Message m = stored.get(d);
        int[] counts = occurrences.get(d);
        if (Arrays.stream(counts).anyMatch(c -> c == 0)
            || live(m.id()).isEmpty()
            || !inSearchScope(request, m)) {
          continue;
        }
        Optional<Instant> readAt = readAt(m.id(), request.reader());
        if (!request.filter().matches(m, readAt.isPresent())) {
          continue;
        }
        double bm25 =
            Relevance.bm25(stored.size(), totalTerms, documents.get(d).size(), counts, matching);
        double rank = Relevance.rank(bm25, m.id());
        if (request.after().isPresent() && !request.after().get().isBefore(rank, m.id())) {
          continue;
        }
        hits.add(new SearchHit(new Envelope(m, readAt), rank));
      }
      hits.sort(
          Comparator.comparingDouble(SearchHit::rank)
              .thenComparing(h -> h.envelope().message().id())
              .reversed());
      if (hits.size() <= request.limit()) {
        return new SearchPage(hits, Optional.empty());
      }
      List<SearchHit> page = hits.subList(0, request.limit());
      return new SearchPage(page, Optional.of(page.getLast().position()));
    }
  }

  private boolean inSearchScope(SearchRequest request, Message m) {
    if (request.mailbox().isPresent()) {
      Box box = boxes.get(request.mailbox().get());
      return box != null && box.entries.contains(m.id());
    }
    if (request.everywhere() || m.sender().equals(request.reader())) {
      return true;
    }
    MailboxName own = request.reader().mailbox();
    if (m.target().isEmpty()) {
      Box box = boxes.get(own);
      return box != null && box.entries.contains(m.id());
    }
    Box target = boxes.get(m.target().get());
    return m.target().get().equals(own) || (target != null && target.kind != MailboxKind.AGENT);
  }

  private Optional<Instant> readAt(MessageId id, AgentId reader) {
    return Optional.ofNullable(reads.getOrDefault(id, Map.of()).get(reader))
        .flatMap(ReadMark::readAt);
  }

  @Override
  public long unreadCount(MailboxName mailbox, AgentId reader) {
    synchronized (lock) {
      ensureOpen();
      Box box = boxes.get(mailbox);
      if (box == null) {
        return 0;
      }
      return box.entries.stream()
          .filter(id -> live(id).isPresent() && readAt(id, reader).isEmpty())
          .count();
    }
  }

  @Override
  public boolean markRead(MessageId id, AgentId reader) {
    synchronized (lock) {
      ensureOpen();
      if (live(id).isEmpty()) {
        return false;
      }
      if (readAt(id, reader).isEmpty()) {
        Instant now = clock.instant();
        reads
            .computeIfAbsent(id, k -> new HashMap<>())
            .put(reader, new ReadMark(Optional.of(now), now));
      }
      return true;
    }
  }

  @Override
  public boolean markUnread(MessageId id, AgentId reader) {
    synchronized (lock) {
      ensureOpen();
      if (live(id).isEmpty()) {
        return false;
      }
      reads
          .computeIfAbsent(id, k -> new HashMap<>())
          .put(reader, new ReadMark(Optional.empty(), clock.instant()));
      return true;
    }
  }

  @Override
  public List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    synchronized (lock) {
      ensureOpen();
      if (live(id).isEmpty()) {
        return List.of();
      }
      List<ReadReceipt> receipts = new ArrayList<>();
      reads
          .getOrDefault(id, Map.of())
          .forEach(
              (reader, mark) ->
                  mark.readAt().ifPresent(t -> receipts.add(new ReadReceipt(reader, t))));
      return receipts.stream()
          .filter(r -> after.isEmpty() || r.isAfter(after.get()))
          .sorted(ReadReceipt.ORDER)
          .limit(limit)
          .toList();
    }
  }

  @Override
  public Set<BlobId> referenced(Set<BlobId> candidates) {
    synchronized (lock) {
      ensureOpen();
      Set<BlobId> found = new HashSet<>();
      for (Message m : messages.values()) {
        for (Attachment a : m.attachments()) {
          if (candidates.contains(a.blob())) {
            found.add(a.blob());
          }
        }
      }
      return found;
    }
  }

  @Override
  public CleanupReport purgeExpired(int maxRows) {
    synchronized (lock) {
      ensureOpen();
      Instant now = clock.instant();
      List<MessageId> expired =
          messages.values().stream()
              .filter(m -> m.isExpiredAt(now))
              .map(Message::id)
              .sorted()
              .toList();
      List<MessageId> removeMessages = expired.subList(0, Math.min(maxRows, expired.size()));
      for (MessageId id : removeMessages) {
        messages.remove(id);
        reads.remove(id);
        boxes.values().forEach(b -> b.entries.remove(id));
        deliveries.purged(id);
      }

      Instant oldestMark = now.minus(retention.readStateRetention());
      long removedMarks = 0;
      boolean moreMarks = false;
      for (Map<AgentId, ReadMark> marks : reads.values()) {
        Iterator<ReadMark> it = marks.values().iterator();
        while (it.hasNext()) {
          if (!it.next().changedAt().isAfter(oldestMark)) {
            if (removedMarks == maxRows) {
              moreMarks = true;
              break;
            }
            it.remove();
            removedMarks++;
          }
        }
      }
      reads.values().removeIf(Map::isEmpty);

      Instant oldestKey = now.minus(retention.dedupeWindow());
      List<SenderKey> forgotten =
          keys.entrySet().stream()
              .filter(e -> !e.getValue().at().isAfter(oldestKey))
              .map(Map.Entry::getKey)
              .toList();
      List<SenderKey> removeKeys = forgotten.subList(0, Math.min(maxRows, forgotten.size()));
      removeKeys.forEach(keys::remove);

      boolean more =
          expired.size() > removeMessages.size()
              || moreMarks
              || forgotten.size() > removeKeys.size();
      return new CleanupReport(removeMessages.size(), removedMarks, removeKeys.size(), more);
    }
  }

  // ---- AgentStore

  @Override
  public void create(AgentRecord agent, String tokenHash) {
    synchronized (lock) {
      ensureOpen();
      if (agents.containsKey(agent.id())) {
        throw new MailroomException.Conflict("agent " + agent.id() + " exists");
      }
      if (boxes.containsKey(agent.id().mailbox())) {
        throw new MailroomException.Conflict("the name " + agent.id() + " is taken by a mailbox");
      }
      agents.put(agent.id(), new Registered(agent, Optional.of(tokenHash)));
      boxes.put(agent.id().mailbox(), new Box(MailboxKind.AGENT, agent.createdAt()));
      changes.agentChanged(agent.id());
    }
  }

  @Override
  public boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt) {
    return change(
        id,
        known ->
            new Registered(known.record().withTokenExpiresAt(expiresAt), Optional.of(tokenHash)));
  }

  @Override
  public boolean revokeToken(AgentId id) {
    return change(id, known -> new Registered(known.record(), Optional.empty()));
  }

  @Override
  public boolean replaceRoles(AgentId id, Set<Role> roles) {
    return change(
        id,
        known -> {
          return new Registered(known.record().withRoles(roles), known.tokenHash());
        });
  }

  @Override
  public boolean updateProfile(AgentId id, AgentProfile profile) {
    Objects.requireNonNull(profile, "profile");
    return change(
        id, known -> new Registered(known.record().withProfile(profile), known.tokenHash()));
  }

  @Override
  public boolean retire(AgentId id, Instant at) {
    Objects.requireNonNull(at, "at");
    return change(id, known -> new Registered(known.record().retiredAt(at), Optional.empty()));
  }

  @Override
  public void createEnrollment(Enrollment enrollment, String hash) {
    synchronized (lock) {
      ensureOpen();
      if (enrollments.containsKey(enrollment.id())
          || enrollments.values().stream().anyMatch(e -> e.hash().equals(hash))) {
        throw new MailroomException.Conflict("enrollment " + enrollment.id() + " exists");
      }
      enrollments.put(enrollment.id(), new Issued(enrollment, hash));
    }
  }

  @Override
  public Optional<Enrollment> findEnrollment(String hash) {
    synchronized (lock) {
      ensureOpen();
      return issued(hash).map(Issued::enrollment);
    }
  }

  private Optional<Issued> issued(String hash) {
    return enrollments.values().stream().filter(e -> e.hash().equals(hash)).findFirst();
  }

  @Override
  public List<Enrollment> enrollments() {
    synchronized (lock) {
      ensureOpen();
      return enrollments.values().stream().map(Issued::enrollment).toList();
    }
  }

  @Override
  public boolean deleteEnrollment(String id) {
    synchronized (lock) {
      ensureOpen();
      return enrollments.remove(id) != null;
    }
  }

  @Override
  public Enrollment.Outcome enroll(
      String enrollmentHash, AgentRecord agent, String tokenHash, Instant now) {
    synchronized (lock) {
      ensureOpen();
      Optional<Issued> found = issued(enrollmentHash);
      if (found.isEmpty()) {
        return new Enrollment.Outcome.Refused(Enrollment.Reason.UNKNOWN);
      }
      Enrollment e = found.get().enrollment();
      if (e.expired(now)) {
        return new Enrollment.Outcome.Refused(Enrollment.Reason.EXPIRED);
      }
      if (e.remaining() == 0) {
        return new Enrollment.Outcome.Refused(Enrollment.Reason.USED_UP);
      }
      create(agent, tokenHash);
      enrollments.put(e.id(), new Issued(e.withRemaining(e.remaining() - 1), enrollmentHash));
      return new Enrollment.Outcome.Enrolled();
    }
  }

  /** Replaces a registered agent with what {@code change} makes of it; false if there is none. */
  private boolean change(AgentId id, UnaryOperator<Registered> change) {
    synchronized (lock) {
      ensureOpen();
      Registered known = agents.get(id);
      if (known == null) {
        return false;
      }
      agents.put(id, change.apply(known));
      changes.agentChanged(id);
      return true;
    }
  }

  @Override
  public boolean delete(AgentId id) {
    synchronized (lock) {
      ensureOpen();
      if (agents.remove(id) == null) {
        return false;
      }
      deliveries.agentDeleted(id);
      Box box = boxes.remove(id.mailbox());
      if (box != null) {
        for (MessageId m : box.entries) {
          if (boxes.values().stream().noneMatch(b -> b.entries.contains(m))) {
            messages.remove(m);
            reads.remove(m);
          }
        }
      }
      reads.values().forEach(marks -> marks.remove(id));
      reads.values().removeIf(Map::isEmpty);
      sessions.values().removeIf(s -> s.agent().equals(id));
      keys.keySet().removeIf(k -> k.sender().equals(id));
      presence.forgetAgent(id);
      reservations.holderDeleted(id);
      topics.creatorDeleted(id);
      changes.agentChanged(id);
      return true;
    }
  }

  @Override
  public Optional<AgentRecord> find(AgentId id) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(agents.get(id)).map(Registered::record);
    }
  }

  @Override
  public Optional<AgentRecord> findByTokenHash(String tokenHash) {
    synchronized (lock) {
      ensureOpen();
      return agents.values().stream()
          .filter(r -> r.tokenHash().equals(Optional.of(tokenHash)))
          .map(Registered::record)
          .findFirst();
    }
  }

  @Override
  public List<AgentRecord> list(Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    synchronized (lock) {
      ensureOpen();
      return agents.values().stream()
          .map(Registered::record)
          .filter(a -> after.isEmpty() || a.id().compareTo(after.get()) > 0)
          .limit(limit)
          .toList();
    }
  }

  @Override
  public void createSession(ConsoleSession session) {
    Objects.requireNonNull(session, "session");
    synchronized (lock) {
      ensureOpen();
      sessions.put(session.hash(), session);
    }
  }

  @Override
  public Optional<ConsoleSession> findSession(String hash, Instant now) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(now, "now");
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(sessions.get(hash)).filter(s -> !s.expired(now));
    }
  }

  @Override
  public boolean deleteSession(String hash) {
    Objects.requireNonNull(hash, "hash");
    synchronized (lock) {
      ensureOpen();
      return sessions.remove(hash) != null;
    }
  }

  @Override
  public int deleteExpiredSessions(Instant now) {
    Objects.requireNonNull(now, "now");
    synchronized (lock) {
      ensureOpen();
      int before = sessions.size();
      sessions.values().removeIf(s -> s.expired(now));
      return before - sessions.size();
    }
  }
}
