package dev.mailroom.client;

import dev.mailroom.protocol.UploadView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the parts of one upload ({@code PUT /v1/uploads/{id}/parts/{n}}) on a few threads at once,
 * each part with its {@code Content-Digest}. A part that fails in a way worth repeating (no answer,
 * {@code 429}, {@code 502}/{@code 503}/{@code 504}/{@code 507}) goes again after a wait ({@link
 * Retrier}); after a broken connection the server is first asked whether the part arrived anyway
 * (its answer may be what was lost). Any other failure stops the other workers after the part each
 * is sending, and is thrown. One use per upload; {@link #send} blocks until it is done.
 */
final class PartUploader {
  /** The slowest line a part's time limit allows for: a part may take this long per MiB. */
  private static final Duration PER_MIB = Duration.ofSeconds(4);

  private final Rest rest;
  private final Retrier retrier;
  private final String uploadId;
  private final int parallelism;
  private final ProgressCounter progress;
  private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  PartUploader(
      Rest rest, Retrier retrier, String uploadId, int parallelism, ProgressCounter progress) {
    this.rest = rest;
    this.retrier = retrier;
    this.uploadId = uploadId;
    this.parallelism = parallelism;
    this.progress = progress;
  }

  /**
   * Sends every part {@code source} yields and returns once all are stored.
   *
   * @throws MailroomClientException the first failure that stopped it
   * @throws UncheckedIOException if the source could not be read
   */
  void send(PartSource source) {
    List<Thread> workers = new ArrayList<>(parallelism);
    for (int i = 0; i < parallelism; i++) {
      workers.add(
          Thread.ofVirtual()
              .name("mailroom-upload-" + uploadId + "-" + i)
              .start(() -> work(source, new PartSource.Worker())));
    }
    try {
      for (Thread t : workers) {
        t.join();
      }
    } catch (InterruptedException e) {
      workers.forEach(Thread::interrupt);
      failure.compareAndSet(
          null, MailroomClientException.connection("interrupted while uploading", e));
      Thread.currentThread().interrupt();
    }
    RuntimeException failed = failure.get();
    if (failed != null) {
      throw failed;
    }
  }

  private void work(PartSource source, PartSource.Worker worker) {
    try {
      while (failure.get() == null) {
        Optional<PartSource.Part> part = source.next(worker);
        if (part.isEmpty()) {
          return;
        }
        sendWithRetries(part.get());
      }
    } catch (IOException e) {
      failure.compareAndSet(null, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private void sendWithRetries(PartSource.Part part) {
    for (int attempt = 1; ; attempt++) {
      try {
        put(part);
        stored(part);
        return;
      } catch (MailroomClientException e) {
        if (failure.get() != null || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        retrier.pause(e, attempt, lastProgress.get());
        if (e.kind() == MailroomClientException.Kind.CONNECTION_FAILED && arrived(part)) {
          stored(part);
          return;
        }
      }
    }
  }

  /** Sends one part, once. */
  void put(PartSource.Part part) {
    rest.put("v1", "uploads", uploadId, "parts", Integer.toString(part.n()))
        .header("Content-Digest", Digests.crc32cContentDigest(part.crc32c()))
        .octets(part.body().get())
        .waiting(PER_MIB.multipliedBy(1 + part.length() / (1024 * 1024)))
        .send();
  }

  /** Whether the server holds the part with these bytes, asked after its answer was lost. */
  private boolean arrived(PartSource.Part part) {
    try {
      UploadView view = rest.get("v1", "uploads", uploadId).fetch(UploadView.class);
      for (UploadView.PartView p : view.received()) {
        if (p.n() == part.n()) {
          return holds(p, part);
        }
      }
      return false;
    } catch (MailroomClientException e) {
      if (!e.kind().retryable()) {
        throw e;
      }
      return false;
    }
  }

  /**
   * Whether the part the server recorded has these bytes: by its CRC-32C, or by its SHA-256 when
   * that is what it was recorded with (a part an older client sent, which the lost attempt did not
   * replace); only then is the part read again for its SHA-256.
   */
  private static boolean holds(UploadView.PartView recorded, PartSource.Part part) {
    if (recorded.size() != part.length()) {
      return false;
    }
    Optional<String> crc32c = recorded.crc32c();
    if (crc32c.isPresent()) {
      return crc32c.get().equals(Digests.hex(part.crc32c()));
    }
    Optional<String> sha256 = recorded.sha256();
    if (sha256.isEmpty()) {
      return false;
    }
    try {
      return sha256.get().equals(Digests.hex(part.sha256()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stored(PartSource.Part part) {
    lastProgress.set(System.nanoTime());
    progress.add(part.length());
  }
}
