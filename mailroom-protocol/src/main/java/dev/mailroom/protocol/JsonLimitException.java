package dev.mailroom.protocol;

import tools.jackson.core.exc.StreamConstraintsException;

/**
 * A JSON document went past a limit of the {@link Json} mapper reading it. The message says which
 * limit in plain words that read after a field name ({@code "is nested deeper than 64 levels"}),
 * never the JSON library's own terms. Immutable.
 */
public final class JsonLimitException extends StreamConstraintsException {
  private static final long serialVersionUID = 1L;

  /** Which limit. */
  public enum Kind {
    /** Arrays and objects nested too deeply. */
    DEPTH,
    /** A number with too many digits. */
    NUMBER_LENGTH,
    /** A number whose exponent is too large to convert it. */
    NUMBER_SCALE,
    /** A string value too long. */
    STRING_LENGTH,
    /** A property name too long. */
    NAME_LENGTH
  }

  private final Kind kind;
  private final long limit;

  JsonLimitException(Kind kind, long limit) {
    super(sentence(kind, limit));
    this.kind = kind;
    this.limit = limit;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The limit passed: levels for {@link Kind#DEPTH}, digits for {@link Kind#NUMBER_LENGTH}, the
   * exponent for {@link Kind#NUMBER_SCALE}, characters for the others.
   */
  public long limit() {
    return limit;
  }

  /**
   * What went wrong, said of a value that sits {@code levelsAbove} levels down in the document
   * read: the depth left to it is the document's limit less those levels.
   */
  public String describeAt(int levelsAbove) {
    return kind == Kind.DEPTH ? sentence(kind, limit - levelsAbove) : getOriginalMessage();
  }

  private static String sentence(Kind kind, long limit) {
    return switch (kind) {
      case DEPTH -> "is nested deeper than " + limit + " levels";
      case NUMBER_LENGTH -> "has a number of more than " + limit + " digits";
      case NUMBER_SCALE -> "has a number whose exponent is beyond " + limit;
      case STRING_LENGTH -> "has a string longer than " + limit + " characters";
      case NAME_LENGTH -> "has a property name longer than " + limit + " characters";
    };
  }
}
