package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the bootstrap admin (agent {@code admin}, role {@code admin}) exists: a configured
 * admin token always becomes the admin's token; without one, an existing admin is kept, and on
 * first start a token is generated and written to {@code <data-dir>/admin.token} (mode 0600).
 * Tokens are never logged.
 */
final class AdminBootstrap {
  static final AgentId ADMIN = AgentId.of("admin");
  static final String TOKEN_FILE = "admin.token";
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private AdminBootstrap() {}

  /**
   * Ensures the admin exists.
   *
   * @return the generated token when one was generated (for the caller to show once)
   */
  static Optional<String> run(
      AgentStore agents, Optional<String> configuredToken, Path dataDir, InstantSource clock) {
    if (configuredToken.isPresent()) {
      String hash = Tokens.hash(configuredToken.get());
      if (!agents.replaceToken(ADMIN, hash, Optional.empty())) {
        create(agents, hash, clock);
      }
      LOG.info("admin token set from configuration");
      return Optional.empty();
    }
    if (agents.find(ADMIN).isPresent()) {
      return Optional.empty();
    }
    String token = Tokens.generate();
    create(agents, Tokens.hash(token), clock);
    Path file = dataDir.resolve(TOKEN_FILE);
    writeOwnerOnly(file, token + "\n");
    LOG.info("generated the admin token and wrote it to {}", file.toAbsolutePath());
    return Optional.of(token);
  }

  private static void create(AgentStore agents, String hash, InstantSource clock) {
    try {
      agents.create(new AgentRecord(ADMIN, Set.of(Role.ADMIN), clock.instant()), hash);
    } catch (MailroomException.Conflict e) {
      // Another node may have created it just now; take over its token then.
      if (!agents.replaceToken(ADMIN, hash, Optional.empty())) {
        throw new IllegalStateException(
            "cannot create the admin agent: the name 'admin' is taken by a mailbox", e);
      }
    }
  }

  static void writeOwnerOnly(Path file, String content) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      boolean posix =
          Files.getFileStore(dir == null ? file : dir).supportsFileAttributeView("posix");
      if (posix && Files.exists(file)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      FileAttribute<?>[] attrs =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      try (SeekableByteChannel ch =
          Files.newByteChannel(
              file,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING),
              attrs)) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      if (posix) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
