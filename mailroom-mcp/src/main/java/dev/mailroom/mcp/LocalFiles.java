package dev.mailroom.mcp;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the tools may read and write files of the machine the MCP server runs on, and the checks
 * on the paths they are given. Over stdio ({@code mailroom mcp}) that machine is the agent's own,
 * so a tool may upload a file by its path ({@code attachments[i].path}) and save an attachment to
 * one ({@code get_attachment}'s {@code save_to}): the bytes never pass through the model. Over HTTP
 * the MCP server runs inside the Mailroom server, which must never read or write its own files at
 * an agent's request, so the same arguments are refused there. Immutable and thread-safe.
 */
final class LocalFiles {
  private final Optional<Path> workingDirectory;

  private LocalFiles(Optional<Path> workingDirectory) {
    this.workingDirectory = workingDirectory;
  }

  /** Files of this process, relative paths resolved against its working directory. */
  static LocalFiles ofThisProcess() {
    return new LocalFiles(Optional.of(Path.of("").toAbsolutePath()));
  }

  /** Files relative to {@code directory}, for tests. */
  static LocalFiles in(Path directory) {
    return new LocalFiles(Optional.of(directory.toAbsolutePath()));
  }

  /** No file access: every path argument is refused (the {@code /mcp} endpoint's tools). */
  static LocalFiles refused() {
    return new LocalFiles(Optional.empty());
  }

  /** Whether paths are served at all. */
  boolean allowed() {
    return workingDirectory.isPresent();
  }

  /**
   * The regular, readable file at {@code path}, resolved against the working directory.
   *
   * @throws Args.BadArgument naming {@code argument} and the path if files are refused, or if the
   *     path does not name a readable regular file
   */
  Path readable(String argument, String path) {
    Path file =
        resolve(
            argument,
            path,
            "upload the file through the REST API (POST /v1/uploads) and attach it by blob_id");
    if (!Files.exists(file)) {
      throw new Args.BadArgument(argument, "names no file: " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new Args.BadArgument(argument, "names a directory, not a file: " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new Args.BadArgument(argument, "names no regular file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new Args.BadArgument(argument, "names a file this process may not read: " + file);
    }
    return file;
  }

  /**
   * Where to write a new file: {@code path} resolved against the working directory, in a directory
   * that exists.
   *
   * @param overwrite whether an existing regular file there may be replaced
   * @param otherwise what to do instead where files are refused, for the refusal
   * @throws Args.BadArgument naming {@code argument} and the path if files are refused, if
   *     something is there already (unless {@code overwrite} and it is a regular file), or if its
   *     directory does not exist or may not be written
   */
  Path writable(String argument, String path, boolean overwrite, String otherwise) {
    Path file = resolve(argument, path, otherwise);
    if (Files.isDirectory(file)) {
      throw new Args.BadArgument(
          argument, "names a directory: " + file + "; give the path of the file to write");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      if (!overwrite) {
        throw new Args.BadArgument(
            argument, "names a file that exists: " + file + "; pass overwrite=true to replace it");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new Args.BadArgument(argument, "names something other than a regular file: " + file);
      }
    }
    Path directory = file.getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new Args.BadArgument(argument, "is in a directory that does not exist: " + file);
    }
    if (!Files.isWritable(directory)) {
      throw new Args.BadArgument(
          argument, "is in a directory this process may not write: " + directory);
    }
    return file;
  }

  private Path resolve(String argument, String path, String otherwise) {
    Path base =
        workingDirectory.orElseThrow(
            () ->
                new Args.BadArgument(
                    argument,
                    "is refused: this MCP server runs inside the Mailroom server (over HTTP) and"
                        + " never reads or writes its own files; only mailroom mcp (stdio), run on"
                        + " your own machine, takes file paths; "
                        + otherwise));
    try {
      return base.resolve(path).normalize();
    } catch (InvalidPathException e) {
      throw new Args.BadArgument(argument, "is not a valid path: " + e.getReason());
    }
  }
}
