package dev.mailroom.client;

import dev.mailroom.protocol.UploadPartView;
import dev.mailroom.protocol.UploadRequest;
import dev.mailroom.protocol.UploadView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Uploads ({@code /v1/uploads}): files sent in parts that become blobs to attach to sends ({@link
 * Draft#attach(UploadView)}).
 *
 * <pre>{@code
 * UploadView blob = client.uploads().upload(Path.of("build.log"));
 * client.messages().send(Draft.direct("bob").text("the failing run").attach(blob));
 * }</pre>
 *
 * <p>{@link #upload(Path, UploadOptions)} does it all: it takes the file's SHA-256 (which the
 * server checks on completion), begins the upload, sends the parts a few at a time straight from
 * the file (never holding one in memory), each with its {@code Content-Digest} (the part's CRC-32C,
 * which the server checks as it arrives), and completes it. A part that fails in a way worth
 * repeating goes again with the client's {@link SendRetry} back-off, for as long as the upload
 * keeps making progress within its budget (30 s by default); after a broken connection it first
 * asks the server whether the part arrived. If the upload stops all the same, the exception's
 * message names it, and {@link #resume(String, Path)} sends only the parts the server lacks. The
 * lower calls ({@link #begin}, {@link #part}, {@link #get}, {@link #complete}, {@link #delete}) are
 * the routes one by one, sent once, never repeated.
 *
 * <p>Immutable and thread-safe; each upload blocks the calling thread until it is done and sends
 * its parts on threads of its own. Every method throws {@link MailroomClientException} when the
 * server refuses or cannot be reached, and {@link UncheckedIOException} when the file cannot be
 * read.
 */
public final class Uploads {
  /** How much longer than other calls a completion may take per GiB, which the server reads. */
  private static final Duration COMPLETION_PER_GIB = Duration.ofSeconds(60);

  private final Rest rest;
  private final Retrier retrier;

  Uploads(Rest rest, SendRetry retry) {
    this.rest = rest;
    this.retrier = new Retrier(retry);
  }

  /**
   * Begins an upload ({@code POST /v1/uploads}). Repeated with the client's back-off only when the
   * server answered that it did nothing ({@code 429}, {@code 503}, ...) or could not be reached: a
   * lost answer would leave an upload behind that holds quota until it expires.
   */
  public UploadView begin(UploadRequest request) {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return rest.post("v1", "uploads").body(request).fetch(UploadView.class);
      } catch (MailroomClientException e) {
        if (!Retrier.nothingHappened(e)) {
          throw e;
        }
        retrier.pause(e, attempt, started);
      }
    }
  }

  /**
   * Begins the upload of a file, under its name, declaring its size and SHA-256 (which takes a read
   * of the whole file); send the parts with {@link #resume(String, Path, UploadOptions)}. For
   * callers that keep the upload's id before the first byte goes out.
   */
  public UploadView begin(Path file, UploadOptions options) {
    return begin(request(file, options, Optional.of(Digests.ofFile(file))));
  }

  /** The upload: which parts arrived, which are missing, whether it is complete. */
  public UploadView get(String uploadId) {
    return rest.get("v1", "uploads", uploadId).fetch(UploadView.class);
  }

  /**
   * Sends part {@code n} once, with the {@code Content-Digest} of {@code bytes} (their CRC-32C):
   * exactly the part's size (the last part: the rest). Sending a part again replaces it.
   */
  public UploadPartView part(String uploadId, int n, byte[] bytes) {
    int crc32c = Digests.crc32c(bytes, 0, bytes.length);
    return part(uploadId, n, bytes, Digests.crc32cContentDigest(crc32c));
  }

  /** Sends part {@code n} with the {@code Content-Digest} given, right or wrong. */
  UploadPartView part(String uploadId, int n, byte[] bytes, String contentDigest) {
    return rest.put("v1", "uploads", uploadId, "parts", Integer.toString(n))
        .header("Content-Digest", contentDigest)
        .octets(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .fetch(UploadPartView.class);
  }

  /**
   * Completes the upload ({@code POST /v1/uploads/{id}/complete}): every part must have arrived,
   * and the bytes must have the SHA-256 declared, if any. The answer's id is the blob's.
   */
  public UploadView complete(String uploadId) {
    return rest.post("v1", "uploads", uploadId, "complete").fetch(UploadView.class);
  }

  /** Completes an upload of {@code size} bytes, allowing the server time to read them all. */
  private UploadView complete(String uploadId, long size) {
    return rest.post("v1", "uploads", uploadId, "complete")
        .waiting(COMPLETION_PER_GIB.multipliedBy(1 + (size >> 30)))
        .fetch(UploadView.class);
  }

  /** Removes an upload, or a blob no message carries, and gives its quota back. */
  public void delete(String uploadId) {
    rest.delete("v1", "uploads", uploadId).send();
  }

  /** Uploads a file with the default options; see the class comment. */
  public UploadView upload(Path file) {
    return upload(file, UploadOptions.DEFAULTS);
  }

  /**
   * Uploads a file under its name (attach it under another with {@link Draft#attach(String,
   * String)}) and answers the complete upload, whose id is the blob's. See the class comment.
   *
   * @throws MailroomClientException if the upload stopped; its message names the upload to resume
   */
  public UploadView upload(Path file, UploadOptions options) {
    UploadView view = begin(file, options);
    return during(view, file, () -> finish(view, file, options));
  }

  /**
   * Uploads the first {@code size} bytes of a stream as a file named {@code name}, reading it once,
   * in order, one part per worker at a time (so {@link UploadOptions#parallelism()} parts are held
   * in memory at most); the stream is not closed. Its SHA-256 cannot be declared beforehand, so it
   * is checked against the server's once complete. A stream cannot be read again: an upload that
   * stops is removed, and the exception thrown.
   */
  public UploadView upload(InputStream in, long size, String name, UploadOptions options) {
    Objects.requireNonNull(in, "in");
    UploadView view =
        begin(
            new UploadRequest(
                size, name, options.contentType(), Optional.empty(), options.partSize()));
    try {
      StreamParts parts = new StreamParts(in, view.partSize(), view.size(), view.parts());
      ProgressCounter counter = new ProgressCounter(options.progress(), 0, view.size());
      counter.start();
      new PartUploader(rest, retrier, view.id(), options.parallelism(), counter).send(parts);
      UploadView done = completeWithRetries(view);
      if (!done.sha256().orElse("").equals(parts.sha256())) {
        throw MailroomClientException.corrupt(
            200,
            "upload "
                + view.id()
                + ": the server stored bytes whose SHA-256 is "
                + done.sha256().orElse("(none)")
                + ", not the stream's "
                + parts.sha256());
      }
      return done;
    } catch (RuntimeException e) {
      try {
        delete(view.id());
      } catch (MailroomClientException ignored) {
        // It expires by itself; the failure that matters is the one thrown.
      }
      throw e;
    }
  }

  /** Resumes an upload of a file with the default options. */
  public UploadView resume(String uploadId, Path file) {
    return resume(uploadId, file, UploadOptions.DEFAULTS);
  }

  /**
   * Sends the parts of {@code file} that upload {@code uploadId} lacks ({@code GET
   * /v1/uploads/{id}} says which), then completes it; a complete upload is answered as it is. Only
   * {@link UploadOptions#parallelism()} and {@link UploadOptions#progress()} apply: the rest was
   * set when the upload began.
   *
   * @throws IllegalArgumentException if the file is not the upload's: another size, or another
   *     SHA-256 than the one it declared
   */
  public UploadView resume(String uploadId, Path file, UploadOptions options) {
    UploadView view = get(uploadId);
    if (view.complete()) {
      return view;
    }
    long size = size(file);
    if (size != view.size()
        || view.declaredSha256().isPresent()
            && !view.declaredSha256().get().equals(Digests.ofFile(file))) {
      throw new IllegalArgumentException(
          file + " is not the file of upload " + uploadId + " (" + view.name() + ")");
    }
    return during(view, file, () -> finish(view, file, options));
  }

  /** Sends the parts the upload lacks from the file and completes it. */
  private UploadView finish(UploadView view, Path file, UploadOptions options) {
    long there = view.received().stream().mapToLong(UploadView.PartView::size).sum();
    ProgressCounter counter = new ProgressCounter(options.progress(), there, view.size());
    counter.start();
    List<Integer> missing = view.missing();
    for (int round = 0; ; round++) {
      send(view, file, missing, options.parallelism(), counter);
      try {
        return completeWithRetries(view);
      } catch (MailroomClientException e) {
        // A part the server lost or dropped (a part refused is no longer recorded) goes again once.
        if (e.kind() != MailroomClientException.Kind.CONFLICT || round > 0) {
          throw e;
        }
        missing = get(view.id()).missing();
        if (missing.isEmpty()) {
          throw e;
        }
      }
    }
  }

  private void send(
      UploadView view, Path file, List<Integer> parts, int parallelism, ProgressCounter counter) {
    try (FileParts source = FileParts.open(file, view.partSize(), view.size(), parts)) {
      new PartUploader(rest, retrier, view.id(), parallelism, counter).send(source);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Completes an upload, again while that fails in a way worth repeating (it is idempotent). */
  private UploadView completeWithRetries(UploadView view) {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return complete(view.id(), view.size());
      } catch (MailroomClientException e) {
        retrier.pause(e, attempt, started);
      }
    }
  }

  /** Runs a step of the upload of {@code file}, naming the upload in whatever stops it. */
  private static UploadView during(UploadView view, Path file, Supplier<UploadView> step) {
    String what = "upload " + view.id() + " of " + file;
    try {
      return step.get();
    } catch (MailroomClientException e) {
      throw e.during(what + " stopped (resume(\"" + view.id() + "\", file) sends the rest)");
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(what + " stopped: " + e.getMessage(), e.getCause());
    }
  }

  private static UploadRequest request(Path file, UploadOptions options, Optional<String> sha256) {
    Path name = file.getFileName();
    if (name == null) {
      throw new IllegalArgumentException(file + " names no file");
    }
    return new UploadRequest(
        size(file),
        name.toString(),
        options.contentType().or(() -> guessType(file)),
        sha256,
        options.partSize());
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The platform's guess of a file's media type, without parameters, if it has a sane one. */
  static Optional<String> guessType(Path file) {
    try {
      return Optional.ofNullable(Files.probeContentType(file))
          .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
          .filter(t -> t.matches("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
