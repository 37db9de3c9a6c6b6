package dev.mailroom.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * One configuration file an install writes: where it is, what it holds now (empty if there is no
 * such file) and what it will hold.
 *
 * @param path the file
 * @param before its content now
 * @param after its content once installed
 */
record ConfigFile(Path path, Optional<String> before, String after) {
  /** The content of {@code path}, if there is such a file. */
  static Optional<String> read(Path path) {
    try {
      return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Whether installing changes the file. */
  boolean changes() {
    return !before.equals(Optional.of(after));
  }

  /**
   * Writes {@link #after}, making missing directories: to a file beside it first, then moved over
   * it, so that an agent reading the file meanwhile sees either the old content or the new.
   */
  void write() {
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temporary = Files.createTempFile(dir, "." + path.getFileName(), ".mailroom");
      try {
        Files.writeString(temporary, after, StandardCharsets.UTF_8);
        keepPermissions(temporary);
        Files.move(
            temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Gives the new file the permissions of the one it replaces (a private {@code ~/.claude.json}
   * stays private), or {@code rw-r--r--} for a new one, as an editor would make it: a temporary
   * file starts private.
   */
  private void keepPermissions(Path temporary) throws IOException {
    if (!temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Files.setPosixFilePermissions(
        temporary,
        Files.exists(path)
            ? Files.getPosixFilePermissions(path)
            : PosixFilePermissions.fromString("rw-r--r--"));
  }
}
