package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionCleanerTest {

  /** A store that only answers cleaning passes, from a script. */
  private static final class ScriptedStore implements MessageStore {
    final Deque<Object> script = new ArrayDeque<>();
    final List<Integer> calls = new ArrayList<>();

    @Override
    public CleanupReport purgeExpired(int maxRows) {
      calls.add(maxRows);
      Object next = script.isEmpty() ? new CleanupReport(0, 0, 0, false) : script.poll();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return (CleanupReport) next;
    }

    @Override
    public SendResult send(OutgoingMessage message, Route route) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Message> find(MessageId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean contains(MailboxName mailbox, MessageId id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxName name) {
      throw new UnsupportedOperationException();
    }

    /** It holds no mailbox. */
    @Override
    public Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader) {
      return Optional.empty();
    }

    @Override
    public Page<Envelope> query(MessageQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Page<Envelope> thread(
        ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public dev.mailroom.core.search.SearchPage search(
        dev.mailroom.core.search.SearchRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long unreadCount(MailboxName mailbox, AgentId reader) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean markRead(MessageId id, AgentId reader) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean markUnread(MessageId id, AgentId reader) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit) {
      throw new UnsupportedOperationException();
    }
  }

  private final ScriptedStore store = new ScriptedStore();

  @Test
  void runRepeatsPassesWhileMoreIsDueAndAddsThemUp() {
    store.script.add(new CleanupReport(5, 1, 0, true));
    store.script.add(new CleanupReport(3, 0, 2, true));
    store.script.add(new CleanupReport(1, 0, 0, false));
    store.script.add(new CleanupReport(100, 0, 0, false));
    try (RetentionCleaner cleaner = cleaner()) {

      CleanupReport total = cleaner.runOnce();

      assertThat(total).isEqualTo(new CleanupReport(9, 1, 2, false));
      assertThat(store.calls).hasSize(3).containsOnly(RetentionCleaner.ROWS_PER_PASS);
      assertThat(cleaner.removedMessages()).isEqualTo(9);
    }
  }

  @Test
  void aFailingPassIsReportedAsMoreWorkAndDoesNotEscape() {
    store.script.add(new CleanupReport(2, 0, 0, true));
    store.script.add(new MailroomException.Unavailable("down", null));
    try (RetentionCleaner cleaner = cleaner()) {

      CleanupReport total = cleaner.runOnce();

      assertThat(total.messages()).isEqualTo(2);
      assertThat(total.more()).isTrue();
      assertThat(cleaner.runOnce().more()).isFalse();
      assertThat(cleaner.removedMessages()).isEqualTo(2);
    }
  }

  @Test
  void aRunStopsAfterABoundedNumberOfPasses() {
    for (int i = 0; i < 1_000; i++) {
      store.script.add(new CleanupReport(1, 0, 0, true));
    }
    try (RetentionCleaner cleaner = cleaner()) {

      CleanupReport total = cleaner.runOnce();

      assertThat(total.more()).isTrue();
      assertThat(store.calls.size()).isLessThan(1_000);
      assertThat(total.messages()).isEqualTo(store.calls.size());
    }
  }

  private RetentionCleaner cleaner() {
    // A long interval: the scheduled pass never runs during the test; runOnce is called directly.
    return RetentionCleaner.start(store, Duration.ofDays(1));
  }
}
