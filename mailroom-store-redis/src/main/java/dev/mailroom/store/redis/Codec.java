package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.AttachmentRef;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.reservation.PathPattern;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.ConsoleSession;
import dev.mailroom.core.spi.Enrollment;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * How Mailroom's records are written into Redis values and read back: a small versioned binary form
 * (lengths and UTF-8), not JSON, so a payload is stored as its own bytes and a message costs no
 * more than its fields.
 *
 * <p>A stored message is the text {@code <recipients>:<expires-at-ms>:} followed by the {@link
 * #draft} bytes: the send script assigns the id, and with it the expiry and the recipient count, so
 * those are written by the script in front of what the node encoded. Ids appear in keys and sorted
 * set members as 16 lower-case hex digits, which sort like the ids themselves.
 *
 * <p>A message's attachments come last in its draft, and only when it has any: a message stored
 * before attachments existed ends after its idempotency key and reads as having none, and a message
 * without attachments is stored byte for byte as it was then.
 */
final class Codec {
  private static final byte VERSION = 1;
  private static final byte AGENT_EXPIRY_VERSION = 2;
  private static final byte AGENT_VERSION = 3;
  private static final Priority[] PRIORITIES = Priority.values();

  private Codec() {}

  /** The 16-hex-digit form of an id. */
  static String hex(MessageId id) {
    String digits = Long.toHexString(id.value());
    return "0".repeat(16 - digits.length()) + digits;
  }

  static MessageId id(String hex) {
    return MessageId.of(Long.parseUnsignedLong(hex, 16));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  // ---- messages

  /** The parts of a message the node knows before the store assigns its id. */
  static byte[] draft(Message m) {
    return write(
        out -> {
          out.writeByte(VERSION);
          str(out, m.sender().value());
          str(out, m.mode().wireName());
          opt(out, m.target().map(MailboxName::value));
          str(out, m.contentType().mediaType());
          opt(out, m.language());
          bytes(out, m.payload().bytes());
          out.writeByte(m.priority().ordinal());
          out.writeInt(m.tags().size());
          for (Tag t : m.tags()) {
            str(out, t.value());
          }
          str(out, m.metadata());
          opt(out, m.threadId().map(ThreadId::value));
          out.writeBoolean(m.inReplyTo().isPresent());
          if (m.inReplyTo().isPresent()) {
            out.writeLong(m.inReplyTo().get().value());
          }
          opt(out, m.idempotencyKey());
          if (!m.attachments().isEmpty()) {
            out.writeInt(m.attachments().size());
            for (Attachment a : m.attachments()) {
              str(out, a.blob().value());
              str(out, a.name());
              str(out, a.contentType());
              out.writeLong(a.size());
              str(out, a.sha256());
            }
          }
        });
  }

  /** Reads a stored message (see the class comment for its form). */
  static Message message(MessageId id, byte[] stored) {
    int first = indexOf(stored, 0);
    int second = indexOf(stored, first + 1);
    int recipients = Integer.parseInt(new String(stored, 0, first, StandardCharsets.US_ASCII));
    long expiresAt =
        Long.parseLong(
            new String(stored, first + 1, second - first - 1, StandardCharsets.US_ASCII));
    return read(
        stored,
        second + 1,
        in -> {
          checkVersion(in);
          AgentId sender = AgentId.of(str(in));
          SendMode mode = SendMode.parse(str(in));
          Optional<MailboxName> target = opt(in).map(MailboxName::of);
          ContentType contentType = ContentType.parse(str(in));
          Optional<String> language = opt(in);
          Payload payload = Payload.of(bytes(in));
          Priority priority = PRIORITIES[in.readByte()];
          int tagCount = in.readInt();
          List<Tag> tags = new ArrayList<>(tagCount);
          for (int i = 0; i < tagCount; i++) {
            tags.add(Tag.of(str(in)));
          }
          String metadata = str(in);
          Optional<ThreadId> thread = opt(in).map(ThreadId::of);
          Optional<MessageId> inReplyTo =
              in.readBoolean() ? Optional.of(MessageId.of(in.readLong())) : Optional.empty();
          Optional<String> key = opt(in);
          List<Attachment> attachments = attachments(in);
          return new Message(
              id,
              sender,
              mode,
              target,
              contentType,
              language,
              payload,
              priority,
              tags,
              metadata,
              Instant.ofEpochMilli(expiresAt),
              thread,
              inReplyTo,
              key,
              recipients,
              attachments);
        });
  }

  /** The attachments at the end of a draft: none if it ends before them (see the class comment). */
  private static List<Attachment> attachments(DataInputStream in) throws IOException {
    if (in.available() == 0) {
      return List.of();
    }
    int count = in.readInt();
    List<Attachment> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Attachment(new BlobId(str(in)), str(in), str(in), in.readLong(), str(in)));
    }
    return out;
  }

  /** The blobs a message's attachments name, as the send script indexes them (none: empty). */
  static String blobs(List<Attachment> attachments) {
    StringBuilder out = new StringBuilder();
    for (Attachment a : attachments) {
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(a.blob().value());
    }
    return out.toString();
  }

  /** The expiry time of a stored message, without decoding the rest of it. */
  static long expiresAt(byte[] stored) {
    int first = indexOf(stored, 0);
    int second = indexOf(stored, first + 1);
    return Long.parseLong(
        new String(stored, first + 1, second - first - 1, StandardCharsets.US_ASCII));
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == ':') {
        return i;
      }
    }
    throw new IllegalStateException("not a stored message");
  }

  // ---- spooled sends

  /** A send as the node's spool keeps it: the message (without its id), its lifetime and route. */
  record SpooledSend(OutgoingMessage message, Route route) {}

  /**
   * A send for the node's spool: the route as the node matched it (subscribers and all) and the
   * message as {@link #draft} encodes it, so that its replay stores exactly what was accepted.
   */
  static byte[] spooled(OutgoingMessage message, Route route) {
    return write(
        out -> {
          out.writeByte(VERSION);
          out.writeLong(message.ttl().toMillis());
          switch (route) {
            case Route.ToMailbox to -> {
              out.writeByte('m');
              str(out, to.name().value());
              str(out, to.kind().wireName());
              out.writeInt(to.subscribers().size());
              for (Recipient r : to.subscribers()) {
                str(out, r.agent().value());
                str(out, r.subscription().value());
                out.writeBoolean(r.push());
                out.writeInt(r.maxQueueSize());
              }
            }
            case Route.ToAllAgents all -> {
              out.writeByte('a');
              str(out, all.sender().value());
            }
          }
          bytes(out, draft(message.toMessage(MessageId.of(0), 0)));
        });
  }

  /** Reads back what {@link #spooled} wrote. */
  static SpooledSend unspooled(byte[] b) {
    return read(
        b,
        0,
        in -> {
          checkVersion(in);
          Duration ttl = Duration.ofMillis(in.readLong());
          Route route;
          byte kind = in.readByte();
          if (kind == 'm') {
            MailboxName name = MailboxName.of(str(in));
            MailboxKind mailboxKind = RedisMessageStore.kind(str(in));
            int count = in.readInt();
            List<Recipient> subscribers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
              subscribers.add(
                  new Recipient(
                      AgentId.of(str(in)),
                      SubscriptionId.of(str(in)),
                      in.readBoolean(),
                      in.readInt()));
            }
            route = new Route.ToMailbox(name, mailboxKind, subscribers);
          } else if (kind == 'a') {
            route = new Route.ToAllAgents(AgentId.of(str(in)));
          } else {
            throw new IOException("unknown route " + kind);
          }
          byte[] draft = bytes(in);
          byte[] stored = new byte[draft.length + 4];
          stored[0] = '0';
          stored[1] = ':';
          stored[2] = '0';
          stored[3] = ':';
          System.arraycopy(draft, 0, stored, 4, draft.length);
          Message m = message(MessageId.of(0), stored);
          Draft d =
              new Draft(
                  m.mode(),
                  m.target(),
                  m.contentType(),
                  m.language(),
                  m.payload(),
                  m.priority(),
                  m.tags(),
                  m.metadata(),
                  Optional.of(ttl),
                  m.threadId(),
                  m.inReplyTo(),
                  m.idempotencyKey(),
                  refs(m.attachments()));
          return new SpooledSend(new OutgoingMessage(m.sender(), d, ttl, m.attachments()), route);
        });
  }

  /** The references a spooled send's attachments were resolved from, as they resolved. */
  private static List<AttachmentRef> refs(List<Attachment> attachments) {
    List<AttachmentRef> refs = new ArrayList<>(attachments.size());
    for (Attachment a : attachments) {
      refs.add(new AttachmentRef(a.blob(), Optional.of(a.name()), Optional.of(a.contentType())));
    }
    return refs;
  }

  // ---- subscriptions, topics, agents

  static byte[] subscription(Subscription s) {
    MessageFilter f = s.filter();
    return write(
        out -> {
          out.writeByte(VERSION);
          str(out, s.id().value());
          str(out, s.agent().value());
          str(out, s.pattern().value());
          str(out, s.mode().name());
          opt(out, f.sender().map(AgentId::value));
          out.writeInt(f.minPriority().map(Priority::ordinal).orElse(-1));
          opt(out, f.contentType().map(ContentType::mediaType));
          List<Tag> tags = f.tags().stream().sorted().toList();
          out.writeInt(tags.size());
          for (Tag t : tags) {
            str(out, t.value());
          }
          out.writeInt(s.batchSize());
          str(out, s.batchWindow().toString());
          out.writeInt(s.maxQueueSize());
          out.writeBoolean(s.autoAck());
          out.writeLong(s.createdAt().toEpochMilli());
        });
  }

  static Subscription subscription(byte[] b) {
    return read(
        b,
        0,
        in -> {
          checkVersion(in);
          SubscriptionId id = SubscriptionId.of(str(in));
          AgentId agent = AgentId.of(str(in));
          SubscriptionPattern pattern = SubscriptionPattern.of(str(in));
          DeliveryMode mode = DeliveryMode.valueOf(str(in));
          Optional<AgentId> sender = opt(in).map(AgentId::of);
          int rank = in.readInt();
          Optional<Priority> minPriority =
              rank < 0 ? Optional.empty() : Optional.of(PRIORITIES[rank]);
          Optional<ContentType> contentType = opt(in).map(ContentType::parse);
          int tagCount = in.readInt();
          Set<Tag> tags = new HashSet<>();
          for (int i = 0; i < tagCount; i++) {
            tags.add(Tag.of(str(in)));
          }
          MessageFilter filter = MessageFilter.content(sender, minPriority, contentType, tags);
          int batchSize = in.readInt();
          Duration window = Duration.parse(str(in));
          int maxQueue = in.readInt();
          boolean autoAck = in.readBoolean();
          Instant createdAt = Instant.ofEpochMilli(in.readLong());
          return new Subscription(
              id, agent, pattern, mode, filter, batchSize, window, maxQueue, autoAck, createdAt);
        });
  }

  static byte[] topicConfig(TopicConfig c) {
    return write(
        out -> {
          out.writeByte(VERSION);
          str(out, c.name().value());
          opt(out, c.description());
          opt(out, c.retention().map(Duration::toString));
          out.writeBoolean(c.maxSubscribers().isPresent());
          out.writeInt(c.maxSubscribers().orElse(0));
          opt(out, c.cleanupAfter().map(Duration::toString));
        });
  }

  static TopicConfig topicConfig(byte[] b) {
    return read(
        b,
        0,
        in -> {
          checkVersion(in);
          MailboxName name = MailboxName.of(str(in));
          Optional<String> description = opt(in);
          Optional<Duration> retention = opt(in).map(Duration::parse);
          boolean hasMax = in.readBoolean();
          int max = in.readInt();
          Optional<Duration> cleanup = opt(in).map(Duration::parse);
          return new TopicConfig(
              name,
              description,
              retention,
              hasMax ? OptionalInt.of(max) : OptionalInt.empty(),
              cleanup);
        });
  }

  /**
   * An agent record. Version 3, written now, adds the profile and the retirement time to version 2,
   * which added the token's expiry to version 1 (id, roles, creation time); both are still read: an
   * agent stored before has no expiry, an empty profile and is active.
   */
  static byte[] agent(AgentRecord a) {
    return write(
        out -> {
          out.writeByte(AGENT_VERSION);
          str(out, a.id().value());
          List<String> roles = a.roles().stream().map(Role::name).sorted().toList();
          out.writeInt(roles.size());
          for (String r : roles) {
            str(out, r);
          }
          out.writeLong(a.createdAt().toEpochMilli());
          out.writeBoolean(a.tokenExpiresAt().isPresent());
          out.writeLong(a.tokenExpiresAt().map(Instant::toEpochMilli).orElse(0L));
          AgentProfile p = a.profile();
          opt(out, p.displayName());
          opt(out, p.description());
          opt(out, p.program());
          opt(out, p.model());
          out.writeInt(p.tags().size());
          for (Tag t : p.tags()) {
            str(out, t.value());
          }
          out.writeBoolean(a.retiredAt().isPresent());
          out.writeLong(a.retiredAt().map(Instant::toEpochMilli).orElse(0L));
        });
  }

  static AgentRecord agent(byte[] b) {
    return read(
        b,
        0,
        in -> {
          byte version = in.readByte();
          if (version != VERSION && version != AGENT_EXPIRY_VERSION && version != AGENT_VERSION) {
            throw new IOException(
                "agent record version " + version + ", this Mailroom reads up to " + AGENT_VERSION);
          }
          AgentId id = AgentId.of(str(in));
          int n = in.readInt();
          Set<Role> roles = new HashSet<>();
          for (int i = 0; i < n; i++) {
            roles.add(Role.of(str(in)));
          }
          Instant createdAt = Instant.ofEpochMilli(in.readLong());
          Optional<Instant> expiresAt = Optional.empty();
          if (version >= AGENT_EXPIRY_VERSION) {
            boolean expires = in.readBoolean();
            long at = in.readLong();
            expiresAt = expires ? Optional.of(Instant.ofEpochMilli(at)) : Optional.empty();
          }
          AgentProfile profile = AgentProfile.EMPTY;
          Optional<Instant> retiredAt = Optional.empty();
          if (version == AGENT_VERSION) {
            Optional<String> displayName = opt(in);
            Optional<String> description = opt(in);
            Optional<String> program = opt(in);
            Optional<String> model = opt(in);
            int tagCount = in.readInt();
            List<Tag> tags = new ArrayList<>(tagCount);
            for (int i = 0; i < tagCount; i++) {
              tags.add(Tag.of(str(in)));
            }
            profile = new AgentProfile(displayName, description, program, model, tags);
            boolean retired = in.readBoolean();
            long at = in.readLong();
            retiredAt = retired ? Optional.of(Instant.ofEpochMilli(at)) : Optional.empty();
          }
          return new AgentRecord(id, roles, createdAt, expiresAt, profile, retiredAt);
        });
  }

  /**
   * An enrollment (version 1) as issued: the uses left are kept beside it ({@code left} of its
   * hash), where the enrolling script decrements them, so the record here says {@code uses} left.
   */
  static byte[] enrollment(Enrollment e) {
    return write(
        out -> {
          out.writeByte(VERSION);
          str(out, e.id());
          List<String> roles = e.roles().stream().map(Role::name).sorted().toList();
          out.writeInt(roles.size());
          for (String r : roles) {
            str(out, r);
          }
          out.writeInt(e.uses());
          out.writeLong(e.createdAt().toEpochMilli());
          out.writeLong(e.expiresAt().toEpochMilli());
          opt(out, e.idPrefix());
          str(out, e.issuer().value());
        });
  }

  static Enrollment enrollment(byte[] b) {
    return read(
        b,
        0,
        in -> {
          checkVersion(in);
          String id = str(in);
          int n = in.readInt();
          Set<Role> roles = new HashSet<>();
          for (int i = 0; i < n; i++) {
            roles.add(Role.of(str(in)));
          }
          int uses = in.readInt();
          Instant createdAt = Instant.ofEpochMilli(in.readLong());
          Instant expiresAt = Instant.ofEpochMilli(in.readLong());
          Optional<String> prefix = opt(in);
          AgentId issuer = AgentId.of(str(in));
          return new Enrollment(id, roles, uses, uses, createdAt, expiresAt, prefix, issuer);
        });
  }

  /** A console session (version 1): its hashes, its agent and its times. */
  static byte[] session(ConsoleSession c) {
    return write(
        out -> {
          out.writeByte(VERSION);
          str(out, c.hash());
          str(out, c.agent().value());
          str(out, c.tokenHash());
          out.writeLong(c.createdAt().toEpochMilli());
          out.writeLong(c.expiresAt().toEpochMilli());
        });
  }

  static ConsoleSession session(byte[] b) {
    return read(
        b,
        0,
        in -> {
          checkVersion(in);
          return new ConsoleSession(
              str(in),
              AgentId.of(str(in)),
              str(in),
              Instant.ofEpochMilli(in.readLong()),
              Instant.ofEpochMilli(in.readLong()));
        });
  }

  /** A reservation (version 1): its id, project, holder, patterns, mode, reason and times. */
  static byte[] reservation(Reservation r) {
    return write(
        out -> {
          out.writeByte(VERSION);
          str(out, r.id());
          str(out, r.project().value());
          str(out, r.holder().value());
          out.writeInt(r.patterns().size());
          for (PathPattern p : r.patterns()) {
            str(out, p.value());
          }
          out.writeBoolean(r.mode().exclusive());
          str(out, r.reason());
          out.writeLong(r.createdAt().toEpochMilli());
          out.writeLong(r.expiresAt().toEpochMilli());
        });
  }

  static Reservation reservation(byte[] b) {
    return read(
        b,
        0,
        in -> {
          checkVersion(in);
          String id = str(in);
          ProjectName project = ProjectName.of(str(in));
          AgentId holder = AgentId.of(str(in));
          int n = in.readInt();
          List<PathPattern> patterns = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            patterns.add(new PathPattern(str(in)));
          }
          Reservation.Mode mode =
              in.readBoolean() ? Reservation.Mode.EXCLUSIVE : Reservation.Mode.SHARED;
          return new Reservation(
              id,
              project,
              holder,
              patterns,
              mode,
              str(in),
              Instant.ofEpochMilli(in.readLong()),
              Instant.ofEpochMilli(in.readLong()));
        });
  }

  // ---- primitives

  @FunctionalInterface
  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] b, int offset, Reader<T> r) {
    try (DataInputStream in =
        new DataInputStream(new java.io.ByteArrayInputStream(b, offset, b.length - offset))) {
      return r.read(in);
    } catch (IOException e) {
      throw new IllegalStateException("a stored record cannot be read", e);
    }
  }

  private static void checkVersion(DataInputStream in) throws IOException {
    byte v = in.readByte();
    if (v != VERSION) {
      throw new IOException("record version " + v + ", this Mailroom reads " + VERSION);
    }
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    bytes(out, utf8(s));
  }

  private static String str(DataInputStream in) throws IOException {
    return text(bytes(in));
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  private static void opt(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      str(out, s.get());
    }
  }

  private static Optional<String> opt(DataInputStream in) throws IOException {
    return in.readBoolean() ? Optional.of(str(in)) : Optional.empty();
  }

  /** Maps every element; a helper for the many lists of ids read back. */
  static <T> List<T> map(List<String> in, Function<String, T> f) {
    List<T> out = new ArrayList<>(in.size());
    for (String s : in) {
      out.add(f.apply(s));
    }
    return out;
  }
}
