package dev.mailroom.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The git pre-commit hook that runs {@code mailroom reservations check}: its text, and installing
 * it without clobbering someone else's. A hook is Mailroom's when it carries {@link #MARKER}; one
 * that does not is refused unless forced. The hook holds no token: it runs the launcher with the
 * environment's {@code MAILROOM_URL} and {@code MAILROOM_TOKEN}.
 */
final class GitHook {
  static final String MARKER = "# mailroom-hook: git pre-commit";
  static final String NAME = "pre-commit";

  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  /** What {@link #install} did. */
  enum Result {
    INSTALLED,
    UPDATED,
    UNCHANGED,
    REPLACED_FOREIGN
  }

  private GitHook() {}

  /** The hook's text: a POSIX shell script that runs the check with this launcher. */
  static String script(String launcher, String project) {
    return "#!/bin/sh\n"
        + MARKER
        + " (installed by 'mailroom hooks install --git'; run it again to update this file)\n"
        + "# Refuses a commit that touches paths another agent holds exclusively. The server and\n"
        + "# the agent's token come from MAILROOM_URL and MAILROOM_TOKEN in the environment.\n"
        + "exec "
        + quote(launcher)
        + " reservations check --project "
        + quote(project)
        + "\n";
  }

  /**
   * Writes the hook into {@code hooks}, executable.
   *
   * @param force replace a hook that is not Mailroom's
   * @throws IllegalStateException if a hook that is not Mailroom's is there and not {@code force}
   */
  static Result install(Path hooks, String text, boolean force) throws IOException {
    Path file = hooks.resolve(NAME);
    Result result = Result.INSTALLED;
    if (Files.exists(file)) {
      String existing = Files.readString(file, StandardCharsets.UTF_8);
      if (existing.equals(text)) {
        return Result.UNCHANGED;
      }
      if (existing.contains(MARKER)) {
        result = Result.UPDATED;
      } else if (force) {
        result = Result.REPLACED_FOREIGN;
      } else {
        throw new IllegalStateException(
            file
                + " exists and is not Mailroom's hook: merge the line 'mailroom reservations"
                + " check --project <project>' into it yourself, or replace it with --force");
      }
    }
    Files.createDirectories(hooks);
    Path temp = Files.createTempFile(hooks, ".pre-commit", ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(temp, EXECUTABLE);
    } catch (UnsupportedOperationException e) {
      temp.toFile().setExecutable(true);
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return result;
  }

  /** Single-quotes a word for sh. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
