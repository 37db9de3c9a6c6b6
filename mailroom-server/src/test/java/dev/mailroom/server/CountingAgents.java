package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.ConsoleSession;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts token lookups on the way to a real store. */
final class CountingAgents implements AgentStore {
  final AgentStore delegate;
  final AtomicInteger lookups = new AtomicInteger();

  /** While set, lookups fail as a store that cannot be reached does. */
  volatile boolean down;

  CountingAgents(AgentStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void create(AgentRecord agent, String tokenHash) {
    delegate.create(agent, tokenHash);
  }

  @Override
  public boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt) {
    return delegate.replaceToken(id, tokenHash, expiresAt);
  }

  @Override
  public boolean revokeToken(AgentId id) {
    return delegate.revokeToken(id);
  }

  @Override
  public boolean replaceRoles(AgentId id, Set<Role> roles) {
    return delegate.replaceRoles(id, roles);
  }

  @Override
  public Optional<AgentRecord> find(AgentId id) {
    if (down) {
      throw new MailroomException.Unavailable("the store is down (test)", null);
    }
    return delegate.find(id);
  }

  @Override
  public Optional<AgentRecord> findByTokenHash(String tokenHash) {
    lookups.incrementAndGet();
    if (down) {
      throw new MailroomException.Unavailable("the store is down (test)", null);
    }
    return delegate.findByTokenHash(tokenHash);
  }

  @Override
  public List<AgentRecord> list(Optional<AgentId> after, int limit) {
    return delegate.list(after, limit);
  }

  @Override
  public void createSession(ConsoleSession session) {
    delegate.createSession(session);
  }

  @Override
  public Optional<ConsoleSession> findSession(String hash, Instant now) {
    return delegate.findSession(hash, now);
  }

  @Override
  public boolean deleteSession(String hash) {
    return delegate.deleteSession(hash);
  }

  @Override
  public int deleteExpiredSessions(Instant now) {
    return delegate.deleteExpiredSessions(now);
  }
}
