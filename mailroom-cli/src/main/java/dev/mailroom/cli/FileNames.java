package dev.mailroom.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a file name that came from another agent (an attachment's) into a path inside a directory
 * of the user's, or refuses it: only a plain, visible file name is taken, one that cannot reach
 * outside the directory, hide itself, or play tricks on a terminal. Stateless.
 */
final class FileNames {
  private static final int MAX_LENGTH = 255;

  private FileNames() {}

  /** {@code name} in {@code dir}, if it is a plain file name; empty otherwise. */
  static Optional<Path> inside(Path dir, String name) {
    if (!plain(name)) {
      return Optional.empty();
    }
    Path candidate;
    try {
      candidate = dir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    // What the platform makes of the name must still be one file directly inside the directory.
    Path parent = candidate.getParent();
    if (parent == null
        || !parent.equals(dir.normalize())
        || !candidate.getFileName().toString().equals(name)) {
      return Optional.empty();
    }
    return Optional.of(candidate);
  }

  /**
   * Whether {@code name} is a plain file name: not empty or too long, no separators ({@code /},
   * {@code \}), not hidden or relative ({@code .}, {@code ..}, a leading dot), no drive ({@code
   * :}), no control character (line feeds and tabs included), and no character a terminal would act
   * on ({@link SafeText#unsafe}).
   */
  static boolean plain(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH || name.startsWith(".")) {
      return false;
    }
    if (!name.strip().equals(name)) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == ':' || c < 0x20 || SafeText.unsafe(c)) {
        return false;
      }
    }
    return true;
  }
}
