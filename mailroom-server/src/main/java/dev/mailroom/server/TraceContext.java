package dev.mailroom.server;

import dev.mailroom.core.Draft;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): a request's {@code traceparent} header,
 * checked, put in the request's log lines as {@code trace_id}, and carried into the metadata of the
 * messages the request sends, so that the delivery pushed to each recipient names the trace its
 * send belonged to. A header that is not a valid {@code traceparent} is ignored, as the
 * recommendation asks of a receiver; it never refuses a request.
 */
final class TraceContext {
  /** The request header, and the metadata key it is carried under. */
  static final String HEADER = "traceparent";

  private static final String ATTRIBUTE = "mailroom.traceparent";

  /** Version, trace id, parent id, flags; a later version may add fields after a dash. */
  private static final Pattern FORMAT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_PARENT = "0".repeat(16);

  private TraceContext() {}

  /**
   * The {@code traceparent} a header gives, if it is a valid one: version {@code 00} exactly as
   * specified, a later version by its first four fields (the rest ignored); never version {@code
   * ff}, an all-zero trace id or an all-zero parent id.
   */
  static Optional<String> parse(@Nullable String header) {
    if (header == null || header.length() > 512) {
      return Optional.empty();
    }
    String value = header.strip();
    Matcher m = FORMAT.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    String version = m.group(1);
    if (version.equals("ff")
        || (version.equals("00") && m.group(5) != null)
        || m.group(2).equals(ZERO_TRACE)
        || m.group(3).equals(ZERO_PARENT)) {
      return Optional.empty();
    }
    return Optional.of(value.substring(0, 55));
  }

  /** The trace id of a valid {@code traceparent}. */
  static String traceId(String traceparent) {
    return traceparent.substring(3, 35);
  }

  /** Keeps the request's {@code traceparent}, once checked. */
  static void remember(Context ctx, String traceparent) {
    ctx.attribute(ATTRIBUTE, traceparent);
  }

  /**
   * {@code draft} with the request's {@code traceparent} in its metadata, unless the request had
   * none or the metadata names one already (the sender's own word wins).
   */
  static Draft carry(Context ctx, Draft draft, JsonMapper mapper) {
    String traceparent = ctx.attribute(ATTRIBUTE);
    return traceparent == null ? draft : carry(traceparent, draft, mapper);
  }

  /**
   * {@code draft} with {@code traceparent} (checked) in its metadata, unless the metadata names one
   * already: what a stream's send frame carries in its own {@code traceparent} field.
   */
  static Draft carry(String traceparent, Draft draft, JsonMapper mapper) {
    if (draft.metadata().equals("{}")) {
      // Most sends have no metadata: no need to parse and write it. A checked traceparent holds
      // only hex digits and dashes, so it needs no escaping.
      return draft.withMetadata("{\"" + HEADER + "\":\"" + traceparent + "\"}");
    }
    ObjectNode metadata = (ObjectNode) mapper.readTree(draft.metadata());
    if (metadata.has(HEADER)) {
      return draft;
    }
    metadata.put(HEADER, traceparent);
    return draft.withMetadata(mapper.writeValueAsString(metadata));
  }
}
