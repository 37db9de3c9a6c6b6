package dev.mailroom.client;

import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessageView;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * The files messages carry ({@code GET /v1/messages/{id}/attachments/{n}}), for a caller that may
 * read the message.
 *
 * <pre>{@code
 * for (AttachmentView a : message.attachments()) {
 *   Path to = dir.resolve("attachment-" + a.n());
 *   client.attachments().download(message, a.n(), to, TransferProgress.NONE);
 * }
 * }</pre>
 *
 * <p>{@link #download(MessageView, int, Path, TransferProgress) download} streams an attachment to
 * {@code <target>.part} beside the target, resumes from where that file ends when it is there
 * already (after a broken connection, or a download stopped earlier), checks the SHA-256 and only
 * then moves the file onto the target, replacing it. It never holds the file in memory. An
 * attachment's name comes from its sender: never use it as a path unchecked.
 *
 * <p>Immutable and thread-safe. Every method throws {@link MailroomClientException} when the server
 * refuses or cannot be reached ({@link MailroomClientException.Kind#SERVER_ERROR} when the bytes
 * are not the attachment's), and {@link UncheckedIOException} when the file cannot be written.
 */
public final class Attachments {
  private final Rest rest;
  private final Retrier retrier;

  Attachments(Rest rest, SendRetry retry) {
    this.rest = rest;
    this.retrier = new Retrier(retry);
  }

  /** The files a message carries, in order (empty when none). */
  public List<AttachmentView> list(String messageId) {
    return rest.get("v1", "messages", messageId).fetch(MessageView.class).attachments();
  }

  /** Downloads attachment {@code n} of a message to {@code target}; see the class comment. */
  public AttachmentView download(String messageId, int n, Path target) {
    return download(messageId, n, target, TransferProgress.NONE);
  }

  /** Downloads attachment {@code n} of a message to {@code target}, telling {@code progress}. */
  public AttachmentView download(String messageId, int n, Path target, TransferProgress progress) {
    MessageView message = rest.get("v1", "messages", messageId).fetch(MessageView.class);
    return download(message, n, target, progress);
  }

  /**
   * Downloads attachment {@code n} of a message already fetched (from a listing or a stream) to
   * {@code target}, telling {@code progress}; see the class comment.
   *
   * @return the attachment downloaded
   * @throws IllegalArgumentException if the message has no attachment {@code n}
   */
  public AttachmentView download(
      MessageView message, int n, Path target, TransferProgress progress) {
    AttachmentView attachment = attachment(message, n);
    new Download(rest, retrier, message.id(), attachment, target, progress).run();
    return attachment;
  }

  /**
   * The bytes of attachment {@code n}, as they arrive; the caller reads and closes the stream. They
   * are not checked against the SHA-256 (use {@link #download} for that), and a stream that breaks
   * throws {@link IOException} from its reads.
   */
  public InputStream open(String messageId, int n) {
    return request(messageId, n).open().body();
  }

  /**
   * At most {@code length} bytes of attachment {@code n} from byte {@code offset} ({@code Range}),
   * for a bounded excerpt of a large file; fewer when the file ends first.
   *
   * @throws MailroomClientException of {@link MailroomClientException.Kind#BAD_REQUEST} (416) if
   *     the file is no longer than {@code offset}
   */
  public InputStream open(String messageId, int n, long offset, long length) {
    if (offset < 0 || length < 1) {
      throw new IllegalArgumentException("need offset >= 0 and length >= 1");
    }
    long last = offset + length - 1 < 0 ? Long.MAX_VALUE : offset + length - 1;
    HttpResponse<InputStream> r =
        request(messageId, n).header("Range", "bytes=" + offset + "-" + last).open();
    if (r.statusCode() == 206) {
      return r.body();
    }
    // The server sent the whole file (it ignored the range): skip to the excerpt.
    InputStream whole = r.body();
    try {
      whole.skipNBytes(offset);
    } catch (IOException e) {
      close(whole);
      throw MailroomClientException.connection(
          "the download of attachment " + n + " of " + messageId + " broke", e);
    }
    return new Bounded(whole, length);
  }

  private Rest.Call request(String messageId, int n) {
    return rest.get("v1", "messages", messageId, "attachments", Integer.toString(n))
        .header("Accept", "*/*");
  }

  private static AttachmentView attachment(MessageView message, int n) {
    List<AttachmentView> all = message.attachments();
    if (n < 0 || n >= all.size()) {
      throw new IllegalArgumentException(
          "message " + message.id() + " has " + all.size() + " attachments; no " + n);
    }
    return all.get(n);
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing more to read from it anyway
    }
  }

  /** The first {@code limit} bytes of a stream. */
  private static final class Bounded extends FilterInputStream {
    private long left;

    Bounded(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, left));
      left -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), left);
    }
  }
}
