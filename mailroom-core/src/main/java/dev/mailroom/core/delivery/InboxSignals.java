package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long polls when an inbox may have changed. Agents hash onto a fixed set of stripes, each
 * with a version counter: a poller reads its stripe's version, looks at its inbox, and if that was
 * empty waits for the version to move. A wake-up for another agent on the same stripe is spurious
 * and costs one more look; a signal between the look and the wait is never missed.
 *
 * <p>Memory is fixed whatever the number of agents. Locks are {@link ReentrantLock}s, so waiting
 * virtual threads never pin their carrier.
 */
public final class InboxSignals {
  private static final int STRIPES = 64;

  private final Stripe[] stripes = new Stripe[STRIPES];

  public InboxSignals() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /** The version to pass to {@link #await} after looking at the agent's inbox. */
  public long version(AgentId agent) {
    Stripe s = stripe(agent);
    s.lock.lock();
    try {
      return s.version;
    } finally {
      s.lock.unlock();
    }
  }

  /** The agent's inbox may have changed. */
  public void signal(AgentId agent) {
    stripe(agent).bump();
  }

  /** Every inbox may have changed (a broadcast). */
  public void signalAll() {
    for (Stripe s : stripes) {
      s.bump();
    }
  }

  /**
   * Waits until a signal after {@code version} or the timeout. Returns false on timeout.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean await(AgentId agent, long version, Duration timeout) throws InterruptedException {
    Stripe s = stripe(agent);
    long nanos = timeout.toNanos();
    s.lock.lock();
    try {
      while (s.version == version) {
        if (nanos <= 0) {
          return false;
        }
        nanos = s.changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  private Stripe stripe(AgentId agent) {
    return stripes[Math.floorMod(agent.hashCode(), STRIPES)];
  }

  private static final class Stripe {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    long version;

    void bump() {
      lock.lock();
      try {
        version++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
