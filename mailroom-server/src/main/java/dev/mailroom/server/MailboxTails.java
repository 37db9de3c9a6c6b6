package dev.mailroom.server;

import dev.mailroom.core.Envelope;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.Principal;
import dev.mailroom.protocol.MessageView;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/mailboxes/{name}/tail}: the messages that enter a mailbox or topic from now on (or
 * after {@code after_id}), as Server-Sent Events, for whoever may read its history. It is how the
 * web console shows a live tail, and any client may use it to watch a mailbox.
 *
 * <p>A tail is a reader, not a consumer: it holds no delivery, acknowledges nothing and is not the
 * agent's stream, so watching an agent's mailbox changes nothing for that agent. It reads the
 * mailbox's history after the last message it sent, a page of at most {@value #PAGE} at a time,
 * every {@link #MIN_GAP} at most, so a fast mailbox is sent in batches ({@code messages} events)
 * rather than message by message. Between reads it waits for a send to reach the mailbox when the
 * mailbox is an agent's (woken on every node), and otherwise looks again every {@link #POLL}. Every
 * {@link #RECHECK} it authenticates the request again, so a revoked token or an ended console
 * session ends its tails, with an {@code error} event. A node holds at most {@value #MAX_TAILS}
 * tails; every tail ends when the server stops.
 */
final class MailboxTails {
  private static final Logger LOG = LoggerFactory.getLogger(MailboxTails.class);
  static final int PAGE = 500;
  static final int MAX_TAILS = 256;
  static final Duration MIN_GAP = Duration.ofMillis(100);
  static final Duration POLL = Duration.ofMillis(250);
  static final Duration RECHECK = Duration.ofSeconds(10);
  private static final String EVENT_STREAM = "text/event-stream";

  private final MessageService service;
  private final MessageViews views;
  private final JsonMapper mapper;
  private final HttpLimits http;
  private final InstantSource clock;
  private final Duration heartbeat;
  private final Semaphore open = new Semaphore(MAX_TAILS);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopping = lock.newCondition();
  private volatile boolean closed; // written under lock

  MailboxTails(
      MessageService service,
      MessageViews views,
      JsonMapper mapper,
      HttpLimits http,
      InstantSource clock,
      Duration heartbeat) {
    this.service = service;
    this.views = views;
    this.mapper = mapper;
    this.http = http;
    this.clock = clock;
    this.heartbeat = heartbeat;
  }

  /** Authenticates a tail's request again, as it was when it began (a token or a session). */
  @FunctionalInterface
  interface Reauthenticate {
    /**
     * @throws MailroomException if its credential is no longer valid
     */
    void check(Context ctx);
  }

  /** The {@code messages} event: a batch, oldest first. */
  record Batch(List<MessageView> messages) {}

  /** The {@code error} event that ends a tail: its credential ended, or the store failed. */
  record Ended(String detail) {}

  /** The {@code heartbeat} event. */
  record Heartbeat(String time) {}

  /**
   * {@code GET /v1/mailboxes/{name}/tail}, with the listing filters of the history (except {@code
   * cursor}, {@code order} and {@code limit}, which the tail sets).
   */
  void tail(Context ctx, Reauthenticate reauthenticate) throws InterruptedException {
    FieldErrors errors = new FieldErrors();
    Optional<MailboxName> name =
        errors.capture("name", () -> MailboxName.of(ctx.pathParam("name")));
    Map<String, List<String>> query = new HashMap<>(ctx.queryParamMap());
    for (String set : List.of("cursor", "order", "limit")) {
      if (query.remove(set) != null) {
        errors.add(set, "a tail sets it itself: it sends every new message, oldest first");
      }
    }
    Listing filters = ListingParser.parse(query, errors, http);
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains(EVENT_STREAM)) {
      errors.add("Accept", "a tail is Server-Sent Events: send Accept: " + EVENT_STREAM);
    }
    errors.throwIfAny();
    MailboxName mailbox = name.orElseThrow();
    Principal caller = Exchanges.principal(ctx);
    // The first read checks the caller may read the mailbox, before anything is written.
    Optional<MessageId> last =
        filters.filter().afterId().isPresent()
            ? Optional.empty()
            : newest(caller, mailbox).map(Envelope::message).map(m -> m.id());
    if (closed || !open.tryAcquire()) {
      throw new MailroomException.Unavailable(
          "this node follows " + MAX_TAILS + " tails already, or is stopping; try again later",
          null);
    }
    try {
      ctx.res().setStatus(200);
      ctx.res().setContentType(EVENT_STREAM + ";charset=utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      OutputStream out = ctx.res().getOutputStream();
      try {
        follow(ctx, reauthenticate, out, caller, mailbox, filters, last);
      } catch (MailroomException ended) {
        // The answer is under way: the refusal goes as the stream's last event.
        write(out, "error", new Ended(ServletProblems.detail(ended)));
      }
    } catch (IOException gone) {
      LOG.debug("a tail of {} ended: {}", name.get(), gone.toString()); // the client went away
    } finally {
      open.release();
    }
  }

  private void follow(
      Context ctx,
      Reauthenticate reauthenticate,
      OutputStream out,
      Principal caller,
      MailboxName mailbox,
      Listing filters,
      Optional<MessageId> start)
      throws IOException, InterruptedException {
    write(out, "heartbeat", new Heartbeat(clock.instant().toString()));
    Optional<MessageId> last = start;
    long lastWrite = System.nanoTime();
    long checked = lastWrite;
    while (!closed) {
      if (System.nanoTime() - checked >= RECHECK.toNanos()) {
        reauthenticate.check(ctx); // a token revoked or a session ended stops its tails
        checked = System.nanoTime();
      }
      OptionalLong version = service.mailboxVersion(mailbox);
      Listing next = new Listing(filters.filter(), filters.maxAge(), last, Order.ASC, PAGE);
      Page<Envelope> page = service.history(caller, mailbox, next);
      if (!page.items().isEmpty()) {
        List<MessageView> batch =
            page.items().stream().map(e -> views.view(e.message(), e.readAt())).toList();
        write(out, "messages", new Batch(batch));
        last = Optional.of(page.items().getLast().message().id());
        lastWrite = System.nanoTime();
        if (page.items().size() == PAGE) {
          continue; // more is waiting: read on at once
        }
      } else if (System.nanoTime() - lastWrite >= heartbeat.toNanos()) {
        write(out, "heartbeat", new Heartbeat(clock.instant().toString()));
        lastWrite = System.nanoTime();
      }
      pause(MIN_GAP);
      if (closed) {
        return;
      }
      if (version.isPresent()) {
        service.awaitMailbox(mailbox, version.getAsLong(), Duration.ofSeconds(1));
      } else {
        pause(POLL.minus(MIN_GAP));
      }
    }
  }

  private Optional<Envelope> newest(Principal caller, MailboxName mailbox) {
    Listing newest =
        new Listing(MessageFilter.NONE, Optional.empty(), Optional.empty(), Order.DESC, 1);
    return service.history(caller, mailbox, newest).items().stream().findFirst();
  }

  private void write(OutputStream out, String event, Object data) throws IOException {
    byte[] json = mapper.writeValueAsBytes(data);
    out.write(("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    out.write(json);
    out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Waits {@code wait}, or until {@link #close()}. */
  private void pause(Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lock();
    try {
      while (!closed && nanos > 0) {
        nanos = stopping.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends every tail: at once if it is pausing, within a second if it waits on its mailbox's signal.
   * Refuses new ones.
   */
  void close() {
    lock.lock();
    try {
      closed = true;
      stopping.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
