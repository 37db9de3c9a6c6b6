package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.TransferProgress;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessageView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * get_attachment: one file a message carries, either as the start of its text, read with a {@code
 * Range} request so that at most {@link #MAX_READ} bytes come however large the file, or (over
 * stdio) saved to a file through the SDK, which resumes a download that stopped and checks the
 * SHA-256 before the file appears. The result never holds more of a file than {@link #MAX_CHARS}
 * characters, and always says how much it shows and how to get the rest.
 */
final class AttachmentTool {
  /** Characters of a text attachment shown by default. */
  static final int DEFAULT_CHARS = 8_000;

  /** The most characters {@code max_chars} may ask for. */
  static final int MAX_CHARS = 64 * 1024;

  /** The most bytes read for an excerpt. */
  static final int MAX_READ = 64 * 1024;

  /** The most bytes one character takes in UTF-8. */
  private static final int UTF8_MAX_BYTES = 4;

  private AttachmentTool() {}

  static Tool getAttachment(LocalFiles files) {
    return Tool.of(
        "get_attachment",
        "Get an attachment",
        "Read a file a message carries: the start of a text attachment (8,000 characters by"
            + " default), or (over stdio) the whole file saved to a path on your machine, checked"
            + " against its SHA-256.",
        Tool.Effect.READS,
        Schema.object()
            .string("message_id", "The id of the message that carries it.")
            .integer(
                "n",
                "Which of its attachments, from 0 (the n its listing shows); default 0.",
                0,
                SendAttachments.MAX - 1)
            .string(
                "save_to",
                "Save the whole file here instead of showing it: a path on the machine running"
                    + " mailroom mcp, absolute or relative to its working directory. Only over"
                    + " stdio: refused over HTTP. Calling again after a download stopped resumes"
                    + " it.")
            .bool("overwrite", "With save_to: replace a file that is there already.")
            .integer(
                "max_chars",
                "Characters of a text attachment to show; default 8,000.",
                1,
                MAX_CHARS)
            .required("message_id"),
        (client, args) -> get(client, args, files));
  }

  private static String get(MailroomClient client, Args args, LocalFiles files) {
    String id = args.requiredString("message_id");
    int n = args.integer("n", 0, SendAttachments.MAX - 1).orElse(0);
    Optional<String> saveTo = args.string("save_to");
    boolean overwrite = args.flag("overwrite");
    Optional<Integer> maxChars = args.integer("max_chars", 1, MAX_CHARS);
    if (saveTo.isPresent() && maxChars.isPresent()) {
      throw new Args.BadArgument("max_chars", "is for excerpts: leave it out with save_to");
    }
    if (saveTo.isEmpty() && args.bool("overwrite").isPresent()) {
      throw new Args.BadArgument("overwrite", "goes with save_to only");
    }
    // A path is checked, and over HTTP refused, before anything is fetched.
    Optional<Path> target =
        saveTo.map(
            p ->
                files.writable(
                    "save_to",
                    p,
                    overwrite,
                    "download the file with GET " + url(id, n) + " and your token instead"));
    MessageView message = client.messages().get(id);
    List<AttachmentView> all = message.attachments();
    if (n >= all.size()) {
      throw new Args.BadArgument(
          "n",
          all.isEmpty()
              ? "is beyond the attachments: message " + id + " has none"
              : "must be 0 to " + (all.size() - 1) + ": message " + id + " has " + all.size());
    }
    AttachmentView a = all.get(n);
    ObjectNode result = Rendering.object();
    result.put("message_id", id);
    result.put("n", n);
    result.put("name", a.name());
    result.put("content_type", a.contentType());
    result.put("size", a.size());
    return target.isPresent()
        ? save(client, message, a, target.get(), result)
        : excerpt(client, id, a, maxChars.orElse(DEFAULT_CHARS), files, result);
  }

  private static String save(
      MailroomClient client,
      MessageView message,
      AttachmentView a,
      Path target,
      ObjectNode result) {
    try {
      client.attachments().download(message, a.n(), target, TransferProgress.NONE);
    } catch (UncheckedIOException e) {
      throw new Tool.Failure(
          "could not write "
              + target
              + " ("
              + e.getCause().getMessage()
              + "); nothing was saved there");
    } catch (MailroomClientException e) {
      throw new Tool.Failure(
          "the download to "
              + target
              + " stopped: "
              + Failures.describe(e)
              + "; call get_attachment again with the same save_to to resume it");
    }
    result.put("saved_to", target.toString());
    result.put("sha256", a.sha256());
    note(
        result,
        "saved whole ("
            + Rendering.chars(a.size())
            + " bytes); its SHA-256 matched the one the server recorded when it was uploaded");
    return Rendering.json(result);
  }

  private static String excerpt(
      MailroomClient client,
      String id,
      AttachmentView a,
      int maxChars,
      LocalFiles files,
      ObjectNode result) {
    String whole = howToGetWhole(id, a, files);
    if (!MediaTypes.textLike(a.contentType())) {
      result.put("binary", true);
      note(result, a.contentType() + " is not text, so it is not shown; " + whole);
      return Rendering.json(result);
    }
    if (a.size() == 0) {
      result.put("text", "");
      note(result, "the attachment is empty");
      return Rendering.json(result);
    }
    int wanted = (int) Math.min(a.size(), Math.min(MAX_READ, (long) UTF8_MAX_BYTES * maxChars));
    byte[] bytes;
    try (InputStream in = client.attachments().open(id, a.n(), 0, wanted)) {
      bytes = in.readNBytes(wanted);
    } catch (IOException e) {
      throw new Tool.Failure(
          "the download of attachment " + a.n() + " of " + id + " broke; try again");
    }
    boolean allBytes = bytes.length == a.size();
    String text = decode(bytes, allBytes);
    boolean cut = text.length() > maxChars;
    if (cut) {
      int end = maxChars;
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--; // never half a character
      }
      text = text.substring(0, end);
    }
    result.put("text", text);
    if (allBytes && !cut) {
      note(result, "the whole attachment is shown (" + Rendering.chars(a.size()) + " bytes)");
    } else {
      long shownBytes = text.getBytes(StandardCharsets.UTF_8).length;
      result.put("shown_chars", text.length());
      note(
          result,
          "shown: the first "
              + Rendering.chars(text.length())
              + " characters, about "
              + Rendering.chars(shownBytes)
              + " of its "
              + Rendering.chars(a.size())
              + " bytes; "
              + (maxChars < MAX_CHARS && shownBytes < MAX_READ
                  ? "max_chars up to " + Rendering.chars(MAX_CHARS) + " shows more; "
                  : "")
              + whole);
    }
    return Rendering.json(result);
  }

  /**
   * UTF-8 text, with bytes that are not UTF-8 replaced; a character cut off by the end of an
   * excerpt ({@code complete} false) is left out rather than replaced.
   */
  static String decode(byte[] bytes, boolean complete) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    decoder.decode(in, out, complete);
    if (complete) {
      decoder.flush(out);
    }
    return out.flip().toString();
  }

  private static void note(ObjectNode result, String note) {
    result.putArray("notes").add(note);
  }

  private static String howToGetWhole(String id, AttachmentView a, LocalFiles files) {
    return files.allowed()
        ? "to get the whole file, call get_attachment with message_id="
            + id
            + ", n="
            + a.n()
            + " and save_to=<a path on your machine>"
        : "to get the whole file, download GET "
            + url(id, a.n())
            + " with your token (this MCP server runs over HTTP and does not write files)";
  }

  private static String url(String id, int n) {
    return "/v1/messages/" + id + "/attachments/" + n;
  }
}
