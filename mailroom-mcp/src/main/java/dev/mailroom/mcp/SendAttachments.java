package dev.mailroom.mcp;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.UploadOptions;
import dev.mailroom.protocol.AttachmentRequest;
import dev.mailroom.protocol.UploadView;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code attachments} argument of the tools that send: blobs uploaded already, by id, and (over
 * stdio) files of the agent's machine by path, which the tool uploads through the SDK before the
 * send, so their bytes never pass through the model. Arguments are all checked before anything is
 * uploaded. An upload whose send is then refused is not removed: the server removes a blob no
 * message carries after an hour.
 */
final class SendAttachments {
  /**
   * The most attachments a send takes: the server's default ({@code
   * mailroom.blobs.max-attachments}). A server configured for fewer refuses the rest with a message
   * naming its limit.
   */
  static final int MAX = 32;

  static final String ARGUMENT = "attachments";

  private SendAttachments() {}

  /** One attachment asked for: a blob by id, or a file to upload first. */
  private sealed interface Item {
    Optional<String> name();

    Optional<String> contentType();
  }

  private record Blob(String id, Optional<String> name, Optional<String> contentType)
      implements Item {}

  private record File(Path path, Optional<String> name, Optional<String> contentType)
      implements Item {}

  /** A send's attachments, checked but not yet uploaded. */
  static final class Pending {
    private final List<Item> items;

    private Pending(List<Item> items) {
      this.items = items;
    }

    boolean isEmpty() {
      return items.isEmpty();
    }

    /**
     * Uploads the files and attaches everything to {@code draft}, in order.
     *
     * @throws Tool.Failure if a file cannot be read
     * @throws MailroomClientException if the server refuses an upload; its message names the file
     */
    Draft attachTo(MailroomClient client, Draft draft) {
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        String blobId =
            switch (item) {
              case Blob b -> b.id();
              case File f -> upload(client, ARGUMENT + "[" + i + "]", f).id();
            };
        draft.attach(new AttachmentRequest(blobId, item.name(), item.contentType()));
      }
      return draft;
    }
  }

  /** The schema of one element of {@code attachments}. */
  static Schema item() {
    return Schema.object()
        .string(
            "blob_id",
            "The id of a complete upload of yours (POST /v1/uploads); give blob_id or path.")
        .string(
            "path",
            "A file on the machine running mailroom mcp, absolute or relative to its working"
                + " directory, which the tool uploads for you; give blob_id or path. Only over"
                + " stdio: refused over HTTP.")
        .string(
            "name", "The file name recipients see; default the upload's, or the file's own name.")
        .string(
            "content_type",
            "A media type without parameters, e.g. text/plain; default the upload's, or one"
                + " guessed from the file's extension (else application/octet-stream).");
  }

  /** The schema of the argument itself. */
  static Schema argument(Schema s) {
    return s.objects(
        ARGUMENT,
        "Files to attach, up to "
            + MAX
            + ", each of any size the server takes (1 GiB by default): uploads by blob_id, or"
            + " (over stdio) files by path. With attachments, payload may be left out.",
        item(),
        MAX);
  }

  /**
   * Reads and checks the argument: each element names exactly one of a blob and a readable file.
   *
   * @throws Args.BadArgument naming the element and what is wrong with it
   */
  static Pending read(Args args, LocalFiles files) {
    List<Args> given = args.optionalObjects(ARGUMENT, MAX);
    List<Item> items = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      try {
        items.add(item(given.get(i), files));
      } catch (Args.BadArgument e) {
        throw Args.inItem(ARGUMENT + "[" + i + "]", e);
      }
    }
    return new Pending(List.copyOf(items));
  }

  private static Item item(Args a, LocalFiles files) {
    a.requireOneOf("blob_id", "path");
    Optional<String> name = a.string("name");
    Optional<String> contentType = a.string("content_type");
    Optional<String> blob = a.string("blob_id");
    if (blob.isPresent()) {
      return new Blob(blob.get(), name, contentType);
    }
    return new File(files.readable("path", a.requiredString("path")), name, contentType);
  }

  private static UploadView upload(MailroomClient client, String item, File f) {
    String type = f.contentType().orElseGet(() -> MediaTypes.guess(f.path()));
    try {
      return client.uploads().upload(f.path(), UploadOptions.builder().contentType(type).build());
    } catch (UncheckedIOException e) {
      throw new Tool.Failure(
          item + ": could not read " + f.path() + " (" + e.getCause().getMessage() + ")");
    } catch (MailroomClientException e) {
      throw new Tool.Failure(
          item + ": the upload of " + f.path() + " failed: " + Failures.describe(e));
    }
  }
}
