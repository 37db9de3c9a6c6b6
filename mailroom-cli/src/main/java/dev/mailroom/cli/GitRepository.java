package dev.mailroom.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few questions the CLI asks git about a repository, by running {@code git -C <dir>}: where its
 * hooks live (honouring {@code core.hooksPath}), its top-level directory, and the paths staged for
 * the next commit. Each call waits for git at most {@link #TIMEOUT_SECONDS}.
 */
final class GitRepository {
  private static final long TIMEOUT_SECONDS = 30;

  private final Path dir;

  GitRepository(Path dir) {
    this.dir = dir;
  }

  /** The directory git runs hooks from: {@code core.hooksPath}, else {@code .git/hooks}. */
  Path hooksDirectory() {
    return dir.resolve(git("rev-parse", "--git-path", "hooks").strip()).normalize();
  }

  /** The working tree's top-level directory. */
  Path topLevel() {
    return Path.of(git("rev-parse", "--show-toplevel").strip());
  }

  /**
   * The paths staged for the next commit (added, copied, modified, renamed or deleted), relative to
   * the top-level directory, whatever directory git runs in.
   */
  List<String> stagedPaths() {
    String out = git("diff", "--cached", "--name-only", "-z", "--no-renames");
    List<String> paths = new ArrayList<>();
    for (String p : out.split("\0")) {
      if (!p.isEmpty()) {
        paths.add(p);
      }
    }
    return paths;
  }

  private String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(bytes);
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new GitFailure("git " + String.join(" ", args) + " did not finish in time");
      }
      String out = bytes.toString(StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new GitFailure(
            "git " + String.join(" ", args) + " failed in " + dir + ": " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new GitFailure("cannot run git (is it installed?): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitFailure("interrupted while waiting for git");
    }
  }

  /** Git could not answer: not a repository, or no git. */
  static final class GitFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    GitFailure(String message) {
      super(message, new IOException(message));
    }
  }
}
