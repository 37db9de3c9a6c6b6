package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.ConsoleSession;
import dev.mailroom.core.spi.Enrollment;
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

  @Override
  public boolean updateProfile(AgentId id, AgentProfile profile) {
    return delegate.updateProfile(id, profile);
  }

  @Override
  public boolean retire(AgentId id, Instant at) {
    return delegate.retire(id, at);
  }

  @Override
  public boolean delete(AgentId id) {
    return delegate.delete(id);
  }

  @Override
  public void createEnrollment(Enrollment enrollment, String hash) {
    delegate.createEnrollment(enrollment, hash);
  }

  @Override
  public Optional<Enrollment> findEnrollment(String hash) {
    return delegate.findEnrollment(hash);
  }

  @Override
  public List<Enrollment> enrollments() {
    return delegate.enrollments();
  }

  @Override
  public boolean deleteEnrollment(String id) {
    return delegate.deleteEnrollment(id);
  }

  @Override
  public Enrollment.Outcome enroll(
      String enrollmentHash, AgentRecord agent, String tokenHash, Instant now) {
    return delegate.enroll(enrollmentHash, agent, tokenHash, now);
  }
}
