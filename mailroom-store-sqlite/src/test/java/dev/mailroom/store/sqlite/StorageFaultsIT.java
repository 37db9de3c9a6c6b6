package dev.mailroom.store.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.StorageFault;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.testkit.SmallDisk;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a disk that fills up or turns read-only under it, on a real small file system the
 * test mounts ({@link SmallDisk}; needs root, else the test is skipped): a refused write names its
 * cause and stores nothing, what was stored before stays, and writes resume by themselves once the
 * disk takes them (space freed) without reopening the store.
 */
@Timeout(value = 120, unit = SECONDS)
class StorageFaultsIT {
  private static final String BOX = "box";

  @TempDir Path tmp;
  private final TestClock clock = TestClock.atDefaultStart();
  private @Nullable SmallDisk disk;
  private @Nullable Storage storage;

  @AfterEach
  void unmount() {
    try {
      if (storage != null) {
        storage.close();
      }
    } finally {
      if (disk != null) {
        disk.close();
      }
    }
  }

  private Storage open(Path dir) {
    Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("mailroom.db")), clock, RetentionPolicy.DEFAULTS);
    storage = s;
    if (s.agents().find(AgentId.of(BOX)).isEmpty()) {
      Fixtures.createAgent(s, BOX, clock.instant());
    }
    return s;
  }

  /** A send to the agent {@value #BOX}, which the store tells its listener of. */
  private static MessageId send(Storage s, String body) {
    return s.messages().send(Fixtures.text("a", BOX, body), Fixtures.agent(BOX)).id();
  }

  @Test
  void aFullDiskRefusesWritesWith507AndTheStoreWritesAgainOnceSpaceIsFree() throws Exception {
    disk = SmallDisk.tmpfs(tmp.resolve("disk"), 8);
    Storage s = open(disk.dir());
    AtomicInteger heard = new AtomicInteger();
    s.listen(
        new ChangeListener() {
          @Override
          public void stored(Message message, List<Recipient> pushed, List<AgentId> reached) {
            heard.incrementAndGet();
          }
        });
    List<MessageId> stored = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stored.add(send(s, "before " + i));
    }

    disk.fill();
    MailroomException.Unavailable refused = null;
    String body = "x".repeat(16 << 10);
    for (int i = 0; i < 10_000 && refused == null; i++) {
      try {
        stored.add(send(s, body + i));
      } catch (MailroomException.Unavailable e) {
        refused = e;
      }
    }

    assertThat(refused).as("a send on a full disk").isNotNull();
    assertThat(refused.fault()).contains(StorageFault.DISK_FULL);
    assertThat(refused.code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
    assertThat(refused.getMessage())
        .startsWith("the data directory's disk is full")
        .doesNotContainIgnoringCase("sqlite");
    // The disk stays all but full: a send that finds room (a failed one's pages are reused) is
    // stored, any other is refused alike.
    for (int i = 0; i < 5; i++) {
      try {
        stored.add(send(s, body + "refused " + i));
      } catch (MailroomException.Unavailable e) {
        assertThat(e.fault()).contains(StorageFault.DISK_FULL);
      }
    }
    assertThat(s.health().up()).isFalse();
    assertThat(s.health().details()).containsEntry("fault", "disk_full");
    // Reads go on; nothing of a refused send was stored, nor told to the listener.
    assertThat(stored).allMatch(id -> s.messages().find(id).isPresent());
    assertThat(rows(disk.dir())).isEqualTo(stored.size());
    assertThat(heard).hasValue(stored.size());

    disk.free();
    // The writer notices by itself, with no write coming: its health is up again.
    await().atMost(Duration.ofSeconds(10)).until(() -> s.health().up());
    assertThat(s.health().details()).doesNotContainKey("fault");
    stored.add(send(s, "after"));

    assertThat(stored).allMatch(id -> s.messages().find(id).isPresent());
    assertThat(rows(disk.dir())).isEqualTo(stored.size());
    assertThat(s.health().details()).containsEntry("messages_estimate", (long) stored.size());
    assertThat(heard).hasValue(stored.size());
    assertThat(integrity(disk.dir())).isEqualTo("ok");
  }

  @Test
  void aDiskTheKernelTurnsReadOnlyRefusesWritesNamingItAndLosesNothing() throws Exception {
    disk = SmallDisk.ext4(tmp.resolve("ext4.img"), tmp.resolve("disk"), 32);
    Storage s = open(disk.dir());
    List<MessageId> stored = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stored.add(send(s, "before " + i));
    }

    disk.failReadOnly();

    // The first refusal may be a plain I/O error (SQLite names no cause for EROFS); the writer
    // then opens its connection again, read-only, and SQLite says so from the next write on.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> send(s, "refused"))
                    .isInstanceOfSatisfying(
                        MailroomException.Unavailable.class,
                        e -> {
                          assertThat(e.fault()).contains(StorageFault.READ_ONLY);
                          assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                          assertThat(e).hasMessageStartingWith("the data directory is read-only");
                        }));
    assertThat(s.health().details()).containsEntry("fault", "read_only");
    assertThat(stored).allMatch(id -> s.messages().find(id).isPresent());

    s.close();
    storage = null;
    disk.repair();
    Storage again = open(disk.dir());

    assertThat(stored).allMatch(id -> again.messages().find(id).isPresent());
    assertThat(rows(disk.dir())).isEqualTo(stored.size());
    stored.add(send(again, "after"));
    assertThat(again.health().up()).isTrue();
  }

  @Test
  void aStoreOnAReadOnlyDirectoryDoesNotOpenAndSaysWhy() {
    disk = SmallDisk.tmpfs(tmp.resolve("disk"), 8);
    MessageId id = send(open(disk.dir()), "kept");
    storage.close();
    storage = null;
    disk.remount(true);

    assertThatThrownBy(() -> open(disk.dir()))
        .isInstanceOf(MailroomException.Unavailable.class)
        .hasMessageEndingWith("the data directory is read-only");

    disk.remount(false);
    assertThat(open(disk.dir()).messages().find(id)).isPresent();
  }

  @Test
  void aFullDiskRefusesSpoolAppendsWholeAndTheSpoolTakesThemOnceSpaceIsFree() {
    disk = SmallDisk.tmpfs(tmp.resolve("disk"), 8);
    try (SqliteSpool spool = SqliteSpool.open(disk.dir(), Spool.Limits.DEFAULTS)) {
      spool.append(spooled(1, 1024));
      disk.fill();
      MailroomException.Unavailable refused = null;
      for (int i = 2; i < 10_000 && refused == null; i++) {
        try {
          spool.append(List.of(spooled(i, 16 << 10), spooled(-i, 16 << 10)));
        } catch (MailroomException.Unavailable e) {
          refused = e;
        }
      }

      assertThat(refused).as("an append on a full disk").isNotNull();
      assertThat(refused.fault()).contains(StorageFault.DISK_FULL);
      long held = spool.stats().entries();
      assertThat(spool.oldest(100_000)).hasSize((int) held);
      assertThat(held % 2).as("both sends of an append, or neither").isEqualTo(1);

      disk.free();
      spool.append(spooled(1_000_000, 16 << 10));
      assertThat(spool.stats().entries()).isEqualTo(held + 1);
    }
  }

  private Spool.Send spooled(long id, int bytes) {
    return new Spool.Send(
        MessageId.of(Math.abs(id) * 2 + (id < 0 ? 1 : 0)),
        AgentId.of("a"),
        Optional.empty(),
        clock.instant(),
        new byte[bytes]);
  }

  private static long rows(Path dir) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mailroom.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM messages")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String integrity(Path dir) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mailroom.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
