package dev.mailroom.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own, mounted on a directory a test gives, so that a store can run out
 * of disk or be turned read-only under a running server, as real disks are:
 *
 * <ul>
 *   <li>{@link #tmpfs}: a size-limited {@code tmpfs}. {@link #fill()} writes a ballast file until
 *       the disk is full ({@code ENOSPC}); {@link #free()} deletes it, and space returns. {@link
 *       #remount} makes it read-only (or read-write again) while nothing has a file open on it.
 *   <li>{@link #ext4}: an ext4 image on a loop device, mounted {@code errors=remount-ro}. {@link
 *       #failReadOnly()} reports a file system error through ext4's {@code trigger_fs_error}, and
 *       the kernel remounts it read-only at once, with the store's files open, as it does when a
 *       disk fails. That cannot be undone while files are open ({@code mount -o remount,ro} is
 *       refused with {@code EBUSY} while a process has a file open for writing, and ext4 refuses to
 *       go back to read-write after an error): {@link #repair()} unmounts, checks the file system
 *       and mounts it again, once whatever used it is closed.
 * </ul>
 *
 * <p>Mounting needs root (the tests run as root on the build machines); without it a test is
 * skipped, saying so, rather than failed.
 */
public final class SmallDisk implements AutoCloseable {
  private static final String BALLAST = "ballast";

  private final Path dir;
  private final Path image;

  private SmallDisk(Path dir, Path image) {
    this.dir = dir;
    this.image = image;
  }

  /** Mounts a {@code tmpfs} of {@code megabytes} on {@code dir} (created if needed). */
  public static SmallDisk tmpfs(Path dir, int megabytes) {
    mountOrSkip(dir, "mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir);
    return new SmallDisk(dir, dir);
  }

  /**
   * Mounts a fresh ext4 file system of {@code megabytes}, in the image file {@code image}, on
   * {@code dir} (created if needed), with {@code errors=remount-ro}.
   */
  public static SmallDisk ext4(Path image, Path dir, int megabytes) {
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(0);
      f.setLength((long) megabytes << 20);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    skipOrFail(
        run("mkfs.ext4", "-q", "-F", image) == 0, "mkfs.ext4 is needed to make an ext4 image");
    SmallDisk disk = new SmallDisk(dir, image);
    disk.mountExt4();
    return disk;
  }

  /** The mounted directory. */
  public Path dir() {
    return dir;
  }

  /**
   * Fills the disk: writes a ballast file until the file system refuses a byte more.
   *
   * @return the bytes written
   */
  public long fill() {
    byte[] block = new byte[64 << 10];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(dir.resolve(BALLAST))) {
      int size = block.length;
      while (size > 0) {
        try {
          out.write(block, 0, size);
          out.flush();
          written += size;
        } catch (IOException full) {
          size /= 2;
        }
      }
    } catch (IOException e) {
      // Closing a file the disk had no room for: what was written stays.
    }
    return written;
  }

  /** Deletes the ballast: the space it took is free again. */
  public void free() {
    try {
      Files.deleteIfExists(dir.resolve(BALLAST));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A tmpfs only: mounts it again read-only or read-write. Going read-only is refused while a file
   * on it is open for writing, so it is for a disk no store has open.
   */
  public void remount(boolean readOnly) {
    check(
        run("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), dir),
        "remount " + (readOnly ? "read-only " : "read-write ") + dir);
  }

  /** An ext4 disk only: reports a file system error, and the kernel makes it read-only. */
  public void failReadOnly() {
    String device = device();
    try {
      Files.writeString(
          Path.of("/sys/fs/ext4", device, "trigger_fs_error"),
          "mailroom test: a disk error\n",
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An ext4 disk only: unmounts it (nothing may have a file open on it), repairs it with {@code
   * e2fsck} and mounts it again, read-write.
   */
  public void repair() {
    check(run("umount", dir), "umount " + dir);
    int fsck = run("e2fsck", "-f", "-y", image);
    check(fsck < 4 ? 0 : fsck, "e2fsck " + image);
    mountExt4();
  }

  /** Unmounts the disk; with an image, deletes it. */
  @Override
  public void close() {
    if (run("umount", dir) != 0) {
      run("umount", "-l", dir);
    }
    if (!image.equals(dir)) {
      try {
        Files.deleteIfExists(image);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void mountExt4() {
    mountOrSkip(dir, "mount", "-o", "loop,errors=remount-ro", image, dir);
  }

  private String device() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] fields = line.split(" ");
        if (fields.length > 1 && Path.of(fields[1]).equals(dir.toAbsolutePath())) {
          return Path.of(fields[0]).getFileName().toString();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(dir + " is not mounted");
  }

  private static void mountOrSkip(Path dir, Object... command) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    skipOrFail(
        run(command) == 0,
        "this test mounts a small file system and needs root for it: " + List.of(command));
  }

  /**
   * Skips the test when this machine cannot do what it needs, except in CI ({@code CI=true}), where
   * the test fails instead: CI must run it.
   */
  private static void skipOrFail(boolean can, String why) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      if (!can) {
        throw new IllegalStateException(why + " (CI=true: not skipped)");
      }
      return;
    }
    Assumptions.assumeTrue(can, why);
  }

  private static void check(int exit, String what) {
    if (exit != 0) {
      throw new IllegalStateException(what + " failed with exit code " + exit);
    }
  }

  private static int run(Object... command) {
    List<String> args = new ArrayList<>();
    for (Object c : command) {
      args.add(c.toString());
    }
    try {
      Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
