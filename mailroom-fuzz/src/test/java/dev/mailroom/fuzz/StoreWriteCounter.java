package dev.mailroom.fuzz;

import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Enrollment;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.TopicStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Storage} around the real one that records every change made to the store: each call of a
 * writing method that returned normally and did change something (not {@code false}, {@code 0}, an
 * empty version, a {@link SendResult.Duplicate} or a refused enrollment). Appending audit records
 * is not counted: every request is audited by design. Nor are receipt marks ({@code
 * ObligationStore.record}): a message read by id is marked delivered even when the MCP tool that
 * read it then refuses, as a read is audited whatever follows.
 *
 * <p>Each change is recorded with where it came from, read off the calling thread's stack: a stream
 * session (pushes, acknowledgements over a stream), an HTTP request (anything run under Jetty's
 * request handling), or the server's background work (cleaners, janitors). The fuzzers send one
 * request at a time and compare {@link #requestChanges()} before and after: a refused request must
 * not move it. Thread-safe.
 */
final class StoreWriteCounter {
  /** Where a change came from. */
  enum Origin {
    REQUEST,
    STREAM,
    BACKGROUND
  }

  /** One change: the store method, its arguments in brief, and its origin. */
  record Change(long sequence, String call, Origin origin) {}

  private static final Set<String> WRITES =
      Set.of(
          "send",
          "markRead",
          "markUnread",
          "purgeExpired",
          "create",
          "replaceToken",
          "revokeToken",
          "replaceRoles",
          "updateProfile",
          "retire",
          "createEnrollment",
          "deleteEnrollment",
          "enroll",
          "saveSubscription",
          "deleteSubscription",
          "acknowledge",
          "recordAttempts",
          "deadLetter/4",
          "replay",
          "purgeDeadLetters",
          "configure",
          "recordSubscribers",
          "delete",
          "replacePolicy",
          "purgeBefore",
          "open",
          "meet",
          "noticed");

  private static final int KEPT = 2_000;

  private final AtomicLong requestChanges = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final List<Change> recent = new ArrayList<>();

  /** The real store wrapped; the server that gets it takes ownership and closes it. */
  Storage wrap(Storage real) {
    Map<String, Object> stores =
        Map.of(
            "messages", proxy(MessageStore.class, real.messages()),
            "agents", proxy(AgentStore.class, real.agents()),
            "deliveries", proxy(DeliveryStore.class, real.deliveries()),
            "topics", proxy(TopicStore.class, real.topics()),
            "access", proxy(AccessStore.class, real.access()),
            "obligations", proxy(ObligationStore.class, real.obligations()));
    InvocationHandler h =
        (self, method, args) -> {
          Object store = stores.get(method.getName());
          return store != null && method.getParameterCount() == 0
              ? store
              : call(method, real, args);
        };
    return (Storage)
        Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, h);
  }

  /** How many changes requests have made so far. */
  long requestChanges() {
    return requestChanges.get();
  }

  /** The latest changes (at most {@value #KEPT}) with a sequence number above {@code after}. */
  synchronized List<Change> since(long after) {
    return recent.stream().filter(c -> c.sequence() > after).toList();
  }

  long sequence() {
    return sequence.get();
  }

  private <T> T proxy(Class<T> type, T real) {
    InvocationHandler h =
        (self, method, args) -> {
          Object result = call(method, real, args);
          int arity = args == null ? 0 : args.length;
          String name = method.getName();
          if ((WRITES.contains(name) || WRITES.contains(name + "/" + arity)) && changed(result)) {
            record(type.getSimpleName() + "." + name + Arrays.toString(args), origin());
          }
          return result;
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static Object call(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause(); // what the real store threw, as it threw it
    }
  }

  private static boolean changed(Object result) {
    return !(Boolean.FALSE.equals(result)
        || Integer.valueOf(0).equals(result)
        || (result instanceof OptionalLong v && v.isEmpty())
        || result instanceof SendResult.Duplicate
        || result instanceof Enrollment.Outcome.Refused);
  }

  private synchronized void record(String call, Origin origin) {
    if (origin == Origin.REQUEST) {
      requestChanges.incrementAndGet();
    }
    recent.add(new Change(sequence.incrementAndGet(), call, origin));
    if (recent.size() > KEPT) {
      recent.subList(0, recent.size() - KEPT / 2).clear();
    }
  }

  private static Origin origin() {
    return StackWalker.getInstance()
        .walk(
            frames -> {
              boolean request = false;
              for (var f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                String c = f.getClassName();
                if (c.startsWith("dev.mailroom.server.stream.StreamSession")) {
                  return Origin.STREAM;
                }
                request |= c.startsWith("org.eclipse.jetty.server.") || c.startsWith("io.javalin.");
              }
              return request ? Origin.REQUEST : Origin.BACKGROUND;
            });
  }
}
