package dev.mailroom.protocol;

import java.util.ArrayDeque;
import tools.jackson.databind.JsonNode;

/**
 * How deeply nested, and how many digits a number may have in, a JSON value stored in a message
 * (its {@code application/json} payload, its metadata) may be.
 *
 * <p>A server enforces its configured limits on what it is sent. A client must read whatever a
 * server sends, and a server sends stored values wrapped in the API's own objects: a payload sits
 * {@link #ENVELOPE_DEPTH} levels down in a stream's {@code batch} event. So clients read up to
 * {@link #READER_MAX_DEPTH} and {@link #READER_MAX_NUMBER_LENGTH}, derived from the largest limits
 * a server accepts ({@link #MAX_DEPTH}, {@link #MAX_NUMBER_LENGTH}) plus that envelope: whatever a
 * server of any configuration stores, every client can read back.
 *
 * @param maxDepth the most levels of arrays and objects in one value: {@code []} is 1 level, {@code
 *     [[]]} 2, a number or string 0
 * @param maxNumberLength the most digits in one number, those of its whole part, fraction and
 *     exponent together ({@code -12.5e3} has 4)
 */
public record JsonLimits(int maxDepth, int maxNumberLength) {
  /**
   * The default depth, as in .NET's {@code System.Text.Json}: deep enough for documents people and
   * programs write, shallow enough that recursive code cannot be run out of stack.
   */
  public static final int DEFAULT_MAX_DEPTH = 64;

  /** The least depth a server may be configured with: the API's own bodies nest 3 levels. */
  public static final int MIN_DEPTH = 16;

  /** The largest depth a server may be configured with. */
  public static final int MAX_DEPTH = 1000;

  /** The default number length. */
  public static final int DEFAULT_MAX_NUMBER_LENGTH = 1000;

  /** The least number length a server may be configured with: any {@code long} fits. */
  public static final int MIN_NUMBER_LENGTH = 32;

  /** The largest number length a server may be configured with. */
  public static final int MAX_NUMBER_LENGTH = 10_000;

  /**
   * The most levels the API puts around a stored value: a {@code batch} stream event, its {@code
   * deliveries} array, a delivery, its {@code message}, then the payload (a dead-letter listing
   * nests as deep; a page of messages one level less).
   */
  public static final int ENVELOPE_DEPTH = 4;

  /** The server's defaults. */
  public static final JsonLimits DEFAULTS =
      new JsonLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_NUMBER_LENGTH);

  /** The largest limits a server accepts. */
  public static final JsonLimits LARGEST = new JsonLimits(MAX_DEPTH, MAX_NUMBER_LENGTH);

  /**
   * The depth clients read: strictly more than any server sends, the largest depth a server accepts
   * plus twice the envelope (room for a newer server to wrap messages once more).
   */
  public static final int READER_MAX_DEPTH = MAX_DEPTH + 2 * ENVELOPE_DEPTH;

  /**
   * The number length clients read: twice the largest a server accepts, because a server writes a
   * stored number back in canonical form, which can have a few more digits than it was sent with
   * ({@code 1e-6}, 2 digits, comes back as {@code 0.000001}, 7).
   */
  public static final int READER_MAX_NUMBER_LENGTH = 2 * MAX_NUMBER_LENGTH;

  /**
   * @throws IllegalArgumentException if a limit is outside {@link #MIN_DEPTH}..{@link #MAX_DEPTH}
   *     or {@link #MIN_NUMBER_LENGTH}..{@link #MAX_NUMBER_LENGTH}
   */
  public JsonLimits {
    check(maxDepth, maxNumberLength);
  }

  private static void check(int maxDepth, int maxNumberLength) {
    if (maxDepth < MIN_DEPTH || maxDepth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "the JSON depth must be between "
              + MIN_DEPTH
              + " and "
              + MAX_DEPTH
              + ", not "
              + maxDepth);
    }
    if (maxNumberLength < MIN_NUMBER_LENGTH || maxNumberLength > MAX_NUMBER_LENGTH) {
      throw new IllegalArgumentException(
          "the JSON number length must be between "
              + MIN_NUMBER_LENGTH
              + " and "
              + MAX_NUMBER_LENGTH
              + ", not "
              + maxNumberLength);
    }
  }

  /**
   * The levels of arrays and objects in a value, as these limits count them: {@code []} is 1,
   * {@code [[]]} 2, a string or number 0. Counted with a queue, not recursion, so any depth can be
   * measured.
   */
  public static int depth(JsonNode value) {
    ArrayDeque<JsonNode> nodes = new ArrayDeque<>();
    ArrayDeque<Integer> above = new ArrayDeque<>();
    nodes.push(value);
    above.push(0);
    int max = 0;
    while (!nodes.isEmpty()) {
      JsonNode n = nodes.pop();
      int level = above.pop() + 1;
      if (n.isContainer()) {
        max = Math.max(max, level);
        for (JsonNode child : n) {
          if (child.isContainer()) {
            nodes.push(child);
            above.push(level);
          }
        }
      }
    }
    return max;
  }
}
