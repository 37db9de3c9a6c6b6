package dev.mailroom.client;

import dev.mailroom.protocol.AttachmentView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * One attachment downloaded to a file: streamed into {@code <target>.part} beside it, resumed from
 * where that file ends ({@code Range} with {@code If-Range: "<sha256>"}, so a range of other bytes
 * is never appended), checked against the attachment's SHA-256, and only then moved onto the
 * target. A connection that breaks, or an answer worth waiting for ({@code 429}, {@code 503}, ...),
 * is resumed after the client's back-off while the download keeps making progress. One use; not
 * thread-safe.
 */
final class Download {
  private final Rest rest;
  private final Retrier retrier;
  private final String messageId;
  private final AttachmentView attachment;
  private final Path target;
  private final Path part;
  private final TransferProgress listener;
  private ProgressCounter progress;
  private MessageDigest digest = Digests.sha256();
  private long hashed;
  private int lastStatus = 200;

  Download(
      Rest rest,
      Retrier retrier,
      String messageId,
      AttachmentView attachment,
      Path target,
      TransferProgress listener) {
    this.rest = rest;
    this.retrier = retrier;
    this.messageId = messageId;
    this.attachment = attachment;
    this.target = target;
    this.part = partFile(target);
    this.listener = listener;
    this.progress = new ProgressCounter(listener, 0, attachment.size());
  }

  /** Where the download of {@code target} is written until it is whole and checked. */
  static Path partFile(Path target) {
    Path name = target.getFileName();
    if (name == null) {
      throw new IllegalArgumentException(target + " names no file");
    }
    return target.resolveSibling(name + ".part");
  }

  /** Downloads it; see the class comment. */
  void run() {
    try {
      long there = Files.exists(part) ? Files.size(part) : 0;
      progress =
          new ProgressCounter(listener, there <= attachment.size() ? there : 0, attachment.size());
      progress.start();
      fetch();
      check();
      moveIntoPlace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part, e);
    }
  }

  private void fetch() throws IOException {
    long lastProgress = System.nanoTime();
    boolean restarted = false;
    if (!Files.exists(part)) {
      // Created at once, so that an empty attachment, which needs no request, has its file too.
      Files.createFile(part);
    }
    for (int attempt = 1; ; ) {
      long have = Files.exists(part) ? Files.size(part) : 0;
      if (have > attachment.size()) {
        Files.delete(part);
        have = 0;
      }
      progress.reach(have);
      if (have == attachment.size()) {
        return;
      }
      try {
        receive(have);
        return;
      } catch (MailroomClientException e) {
        if (e.status() == 416 && !restarted) {
          // The server holds fewer bytes than the partial file claims: start again.
          Files.deleteIfExists(part);
          restarted = true;
          continue;
        }
        if (Files.exists(part) && Files.size(part) > have) {
          lastProgress = System.nanoTime();
          attempt = 1;
        }
        retrier.pause(e, attempt++, lastProgress);
      }
    }
  }

  /** One request, from byte {@code have} (the partial file's length) to the end. */
  private void receive(long have) throws IOException {
    Rest.Call call = rest.get(path()).header("Accept", "*/*");
    if (have > 0) {
      call.header("Range", "bytes=" + have + "-")
          .header("If-Range", "\"" + attachment.sha256() + "\"");
    }
    HttpResponse<InputStream> r = call.open();
    lastStatus = r.statusCode();
    try (InputStream body = r.body()) {
      long from = 0;
      if (lastStatus == 206) {
        from = have;
        String range = r.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes " + have + "-")) {
          throw MailroomClientException.corrupt(
              206, "asked for bytes " + have + "- of " + where() + ", got " + range);
        }
      }
      write(body, from);
    } catch (IOException e) {
      throw MailroomClientException.connection(
          "the download of " + where() + " broke: " + Rest.describe(e), e);
    }
  }

  /** Writes the body into the partial file from {@code from}, hashing it on the way. */
  private void write(InputStream body, long from) throws IOException {
    try (FileChannel out =
        FileChannel.open(
            part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      out.truncate(from);
      if (hashed != from) {
        rehash(out, from);
      }
      progress.reach(from);
      byte[] buffer = new byte[Digests.BUFFER];
      long position = from;
      int n;
      while ((n = body.read(buffer)) >= 0) {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining()) {
          position += out.write(b, position);
        }
        digest.update(buffer, 0, n);
        hashed = position;
        progress.reach(position);
      }
      out.force(true);
    }
  }

  /** The digest of the partial file's first {@code length} bytes, read from it. */
  private void rehash(FileChannel file, long length) throws IOException {
    digest = Digests.sha256();
    InputStream in = new FileSlice(file, 0, length);
    byte[] buffer = new byte[Digests.BUFFER];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      digest.update(buffer, 0, n);
      left -= n;
    }
    hashed = length;
  }

  private void check() throws IOException {
    if (hashed != attachment.size()) {
      try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
        rehash(in, in.size());
      }
    }
    String got = Digests.hex(digest.digest());
    if (!got.equals(attachment.sha256())) {
      Files.deleteIfExists(part);
      throw MailroomClientException.corrupt(
          lastStatus,
          "the bytes of "
              + where()
              + " have the SHA-256 "
              + got
              + ", not the attachment's "
              + attachment.sha256()
              + "; the partial file was removed, nothing was written to "
              + target);
    }
  }

  private void moveIntoPlace() throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String where() {
    return "/v1/messages/" + messageId + "/attachments/" + attachment.n();
  }

  private String[] path() {
    return new String[] {
      "v1", "messages", messageId, "attachments", Integer.toString(attachment.n())
    };
  }
}
