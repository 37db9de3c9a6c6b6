package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.core.blob.BlobService;
import dev.mailroom.core.blob.MediaTypes;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.protocol.UploadPartView;
import dev.mailroom.protocol.UploadView;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Uploads ({@code /v1/uploads}) and attachment downloads ({@code
 * /v1/messages/{id}/attachments/{n}}). Parts stream from the request into the blob store, and
 * attachments from the store into the response, a buffer at a time: a file is never held whole.
 */
final class AttachmentRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AttachmentRoutes.class);
  private static final Set<String> UPLOAD_FIELDS =
      Set.of("size", "name", "content_type", "sha256", "part_size");
  static final String CONTENT_DIGEST = "Content-Digest";
  private static final int COPY_BUFFER = 256 << 10;

  /**
   * What a download may do in a browser: nothing. It is served as the sender said, and a file of an
   * agent's must never run as a page of this origin.
   */
  private static final String DOWNLOAD_POLICY = "default-src 'none'; sandbox";

  private final BlobService blobs;
  private final MessageService messages;
  private final JsonMapper mapper;
  private final ServerMetrics metrics;

  AttachmentRoutes(
      BlobService blobs, MessageService messages, JsonMapper mapper, ServerMetrics metrics) {
    this.blobs = blobs;
    this.messages = messages;
    this.mapper = mapper;
    this.metrics = metrics;
  }

  /** {@code POST /v1/uploads}. */
  void create(Context ctx) {
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, Exchanges.SMALL_BODY));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(UPLOAD_FIELDS);
    Optional<Long> size = fields.integer("size", 0, Long.MAX_VALUE);
    if (body.get("size") == null || body.get("size").isNull()) {
      errors.add("size", "is required");
    }
    Optional<String> name = fields.requiredString("name");
    Optional<String> contentType = fields.string("content_type");
    Optional<String> sha256 = fields.string("sha256");
    Optional<Long> partSize = fields.integer("part_size", 1, Integer.MAX_VALUE);
    errors.throwIfAny();
    Blob upload =
        blobs.create(
            Exchanges.principal(ctx),
            name.orElseThrow(),
            contentType.orElse(MediaTypes.OCTET_STREAM),
            size.orElseThrow(),
            partSize.map(Long::intValue),
            sha256);
    Exchanges.auditResource(ctx, "upload:" + upload.id());
    metrics.recordUpload();
    ctx.header("Location", "/v1/uploads/" + upload.id());
    Exchanges.json(ctx, mapper, 201, view(upload));
  }

  /** {@code GET /v1/uploads/{id}}. */
  void get(Context ctx) {
    BlobId id = uploadId(ctx);
    Exchanges.auditResource(ctx, "upload:" + id);
    Exchanges.json(ctx, mapper, 200, view(blobs.get(Exchanges.principal(ctx), id)));
  }

  /**
   * {@code PUT /v1/uploads/{id}/parts/{n}}. A part refused before its body was read to its end has
   * what is left of the body read and dropped first ({@link #drainRefused}).
   */
  void putPart(Context ctx) {
    try {
      storePart(ctx);
    } catch (RuntimeException e) {
      drainRefused(ctx);
      throw e;
    }
  }

  /**
   * Reads and drops what is left of a refused part's body, up to {@link BlobLimits#MAX_PART_SIZE}
   * bytes as declared. Without it the answer may never reach the client: the server closes a
   * connection whose request it did not read, the kernel then resets it for the unread bytes, and a
   * client still sending loses the answer already on its way ("no bytes received" instead of a
   * problem naming the field). A body declared longer than that is left to the connection's close.
   */
  private static void drainRefused(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared <= 0 || declared > BlobLimits.MAX_PART_SIZE) {
      return;
    }
    try (InputStream body = ctx.req().getInputStream()) {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not read the rest of a refused part's body", e); // the client went away
    }
  }

  private void storePart(Context ctx) {
    BlobId id = uploadId(ctx);
    Exchanges.auditResource(ctx, "upload:" + id);
    FieldErrors errors = new FieldErrors();
    Optional<Integer> n = errors.capture("n", () -> partNumber(ctx.pathParam("n")));
    Optional<List<PartChecksum>> checksums =
        errors.capture(CONTENT_DIGEST, () -> partChecksums(ctx.req().getHeader(CONTENT_DIGEST)));
    errors.throwIfAny();
    Principal caller = Exchanges.principal(ctx);
    Blob upload = blobs.get(caller, id);
    long declared = ctx.req().getContentLengthLong();
    if (n.get() >= 0 && n.get() < upload.partCount() && declared > upload.partLength(n.get())) {
      throw MailroomException.LimitExceeded.tooLarge(
          "parts["
              + n.get()
              + "]: the body is "
              + declared
              + " bytes; the part has "
              + upload.partLength(n.get()));
    }
    try (InputStream body = ctx.req().getInputStream()) {
      Blob updated = blobs.putPart(caller, id, n.get(), body, checksums.get());
      PartChecksum recorded = updated.part(n.get()).orElseThrow().checksum();
      metrics.recordPart(upload.partLength(n.get()));
      Exchanges.json(
          ctx,
          mapper,
          200,
          new UploadPartView(
              id.value(),
              n.get(),
              updated.partLength(n.get()),
              hexOf(recorded, PartChecksum.Algorithm.SHA_256),
              hexOf(recorded, PartChecksum.Algorithm.CRC32C),
              updated.parts().size(),
              updated.partCount()));
    } catch (UncheckedIOException | IOException e) {
      // The client stopped sending: the part was not recorded.
      throw MailroomException.InvalidRequest.field(
          "body", "could not be read to its end; send the part again");
    }
  }

  /** {@code POST /v1/uploads/{id}/complete}. */
  void complete(Context ctx) {
    BlobId id = uploadId(ctx);
    Exchanges.auditResource(ctx, "upload:" + id);
    Exchanges.json(ctx, mapper, 200, view(blobs.complete(Exchanges.principal(ctx), id)));
  }

  /** {@code DELETE /v1/uploads/{id}}. */
  void delete(Context ctx) {
    BlobId id = uploadId(ctx);
    Exchanges.auditResource(ctx, "upload:" + id);
    blobs.delete(Exchanges.principal(ctx), id);
    ctx.status(204);
  }

  /** {@code GET /v1/agents/{id}/usage}: an agent's uploads and blobs against its quota. */
  void usage(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<AgentId> agent = errors.capture("id", () -> AgentId.of(ctx.pathParam("id")));
    errors.throwIfAny();
    Principal caller = Exchanges.principal(ctx);
    Exchanges.auditResource(ctx, agent.get().value());
    if (!caller.id().equals(agent.get())
        && !caller.isAdmin()
        && !caller.roles().contains(Role.OBSERVER)) {
      throw new MailroomException.Forbidden("you may see only your own usage");
    }
    Exchanges.json(
        ctx,
        mapper,
        200,
        new Usage(
            agent.get().value(),
            blobs.usage(agent.get()),
            blobs.limits().quotaBytes(),
            blobs.limits().maxBlobBytes()));
  }

  /** The answer of {@code GET /v1/agents/{id}/usage}. */
  record Usage(String agent, long blobBytes, long quotaBytes, long maxBlobBytes) {}

  /** {@code GET} and {@code HEAD /v1/messages/{id}/attachments/{n}}. */
  void download(Context ctx) {
    Message message = messages.get(Exchanges.principal(ctx), MessageRoutes.messageId(ctx));
    FieldErrors errors = new FieldErrors();
    Optional<Integer> n = errors.capture("n", () -> partNumber(ctx.pathParam("n")));
    errors.throwIfAny();
    Exchanges.auditResource(ctx, message.id() + "/attachments/" + n.get());
    if (n.get() >= message.attachments().size()) {
      throw new MailroomException.NotFound(
          "message "
              + message.id()
              + " has "
              + message.attachments().size()
              + " attachments; there is no "
              + n.get());
    }
    Attachment file = message.attachments().get(n.get());
    String etag = "\"" + file.sha256() + "\"";
    ctx.header("ETag", etag);
    ctx.header("Accept-Ranges", "bytes");
    ctx.header("Cache-Control", "private, no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", DOWNLOAD_POLICY);
    ctx.header("Content-Disposition", contentDisposition(file.name()));
    if (matches(ctx.header("If-None-Match"), etag)) {
      ctx.status(304);
      servedAs(ctx, null);
      return;
    }
    ByteRange range = ByteRange.whole(file.size());
    String rangeHeader = ctx.header("Range");
    String ifRange = ctx.header("If-Range");
    if (rangeHeader != null && (ifRange == null || ifRange.strip().equals(etag))) {
      Optional<ByteRange> asked = ByteRange.parse(rangeHeader, file.size());
      if (asked.isEmpty()) {
        ctx.header("Content-Range", "bytes */" + file.size());
        throw new HttpRefusal(
            416, "Range", "asks for none of the attachment's " + file.size() + " bytes");
      }
      range = asked.get();
      if (range.length() < file.size()) {
        ctx.status(206);
        ctx.header(
            "Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + file.size());
      }
    }
    servedAs(ctx, file.contentType());
    ctx.res().setContentLengthLong(range.length());
    if (ctx.method().name().equals("HEAD")) {
      return;
    }
    // The answer streams: its headers are sent with the first bytes, so a failure half way can
    // only break the connection, which the client sees as a short body.
    try (InputStream in = blobs.open(file, range.first(), range.length())) {
      OutputStream out = ctx.res().getOutputStream();
      byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(range.length(), 1))];
      long sent = 0;
      for (int read; (read = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, read);
        sent += read;
      }
      out.flush();
      metrics.recordDownload(sent);
    } catch (IOException e) {
      LOG.debug("a download of {} broke off", file.blob(), e); // the client went away
    }
  }

  /**
   * Serves the answer as the file's own type, without the charset the API's JSON answers carry (a
   * file's bytes are whatever they are), or with no type at all.
   */
  private static void servedAs(Context ctx, @Nullable String mediaType) {
    ctx.res().setCharacterEncoding(null);
    ctx.res().setContentType(mediaType);
  }

  private UploadView view(Blob b) {
    return new UploadView(
        b.id().value(),
        b.complete() ? "complete" : "open",
        b.owner().value(),
        b.name(),
        b.contentType(),
        b.size(),
        b.partSize(),
        b.partCount(),
        b.parts().stream()
            .map(
                p ->
                    new UploadView.PartView(
                        p.n(),
                        p.size(),
                        hexOf(p.checksum(), PartChecksum.Algorithm.SHA_256),
                        hexOf(p.checksum(), PartChecksum.Algorithm.CRC32C)))
            .toList(),
        b.complete() ? java.util.List.of() : b.missingParts(),
        b.sha256(),
        b.declaredSha256(),
        b.createdAt(),
        b.lastUsed(),
        b.complete()
            ? Optional.empty()
            : Optional.of(b.lastUsed().plus(blobs.limits().uploadTtl())));
  }

  private static Optional<String> hexOf(PartChecksum c, PartChecksum.Algorithm algorithm) {
    return c.algorithm() == algorithm ? Optional.of(c.hex()) : Optional.empty();
  }

  private static BlobId uploadId(Context ctx) {
    return BlobId.parse("id", ctx.pathParam("id"));
  }

  private static int partNumber(String text) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw MailroomException.InvalidRequest.field("n", "must be a number from 0");
    }
    return Integer.parseInt(text);
  }

  /**
   * The checksums a {@code Content-Digest} header gives for a part (RFC 9530: {@code
   * sha-256=:<base64>:}, {@code crc32c=:<base64>:} or both; other algorithms are passed over).
   *
   * @throws MailroomException.InvalidRequest naming the header if it is missing, gives neither, or
   *     gives one malformed or twice
   */
  static List<PartChecksum> partChecksums(String header) {
    if (header == null) {
      throw MailroomException.InvalidRequest.field(
          CONTENT_DIGEST,
          "is required: crc32c=:<base64 of the part's CRC-32C>: or sha-256=:<base64 of its"
              + " SHA-256>:");
    }
    List<PartChecksum> found = new ArrayList<>(2);
    for (String member : header.split(",")) {
      String m = member.strip();
      int eq = m.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = m.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      for (PartChecksum.Algorithm algorithm : PartChecksum.Algorithm.values()) {
        if (name.equals(algorithm.wireName())) {
          if (found.stream().anyMatch(c -> c.algorithm() == algorithm)) {
            throw MailroomException.InvalidRequest.field(
                CONTENT_DIGEST, algorithm.wireName() + " is given twice");
          }
          found.add(checksum(algorithm, m.substring(eq + 1).strip()));
        }
      }
    }
    if (found.isEmpty()) {
      throw MailroomException.InvalidRequest.field(
          CONTENT_DIGEST,
          "has neither crc32c nor sha-256: give crc32c=:<base64 of the part's CRC-32C>: or"
              + " sha-256=:<base64 of its SHA-256>:");
    }
    return List.copyOf(found);
  }

  private static PartChecksum checksum(PartChecksum.Algorithm algorithm, String value) {
    if (value.length() > 2 && value.startsWith(":") && value.endsWith(":")) {
      try {
        byte[] digest = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
        if (digest.length == algorithm.bytes()) {
          return PartChecksum.of(algorithm, digest);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw MailroomException.InvalidRequest.field(
        CONTENT_DIGEST,
        algorithm.wireName() + " must be :<base64 of " + algorithm.bytes() + " bytes>:");
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code attachment} with the name twice: an ASCII fallback (anything else, and quotes and
   * backslashes, as {@code _}) and the exact name in RFC 8187 encoding.
   */
  static String contentDisposition(String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
    }
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  /** The bytes {@code first} to {@code last} (inclusive) of an attachment. */
  record ByteRange(long first, long last) {
    static ByteRange whole(long size) {
      return new ByteRange(0, size - 1);
    }

    long length() {
      return last - first + 1;
    }

    /**
     * One range of {@code Range: bytes=a-b}, {@code a-} or {@code -n} within {@code size} bytes;
     * the whole file for a header this server does not serve in parts (another unit, several
     * ranges, a malformed one, which RFC 9110 lets a server ignore); empty when it asks for no byte
     * of the file.
     */
    static Optional<ByteRange> parse(String header, long size) {
      String h = header.strip();
      if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
        return Optional.of(whole(size));
      }
      String spec = h.substring(6).strip();
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return Optional.of(whole(size));
      }
      try {
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (a.isEmpty()) {
          long suffix = Long.parseLong(b);
          if (suffix <= 0 || size == 0) {
            return Optional.empty();
          }
          return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(a);
        long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
          return Optional.of(whole(size));
        }
        if (first >= size) {
          return Optional.empty();
        }
        return Optional.of(new ByteRange(first, last));
      } catch (NumberFormatException e) {
        return Optional.of(whole(size));
      }
    }
  }
}
