package dev.mailroom.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where and what {@code mailroom hooks install} installs.
 *
 * @param scope the user's own configuration, or the project's
 * @param home the user's home directory
 * @param projectDir the project's root directory
 * @param codexHome Codex's directory ({@code CODEX_HOME}, by default {@code ~/.codex})
 * @param launcher the {@code mailroom} launcher the agent's hooks and MCP server run
 */
record InstallTarget(Scope scope, Path home, Path projectDir, Path codexHome, String launcher) {
  /** Which configuration an install changes. */
  enum Scope {
    USER,
    PROJECT
  }

  /** How long an agent lets a hook run, in seconds; the hook itself gives up well before. */
  static final int HOOK_TIMEOUT_SECONDS = 10;

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  /** The shell command the hooks run. */
  String hookCommand() {
    return shellWord(launcher) + " hook inbox";
  }

  /** {@code word} as one word of a POSIX shell command line. */
  static String shellWord(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
