package dev.mailroom.core;

/**
 * The content types Mailroom carries. The content type is preserved end to end; it decides how the
 * payload is validated and encoded on the wire.
 */
public enum ContentType {
  /** Plain UTF-8 text. */
  TEXT_PLAIN("text/plain", Encoding.TEXT),
  /** Markdown, UTF-8. */
  TEXT_MARKDOWN("text/markdown", Encoding.TEXT),
  /** Source code, UTF-8, with a language. */
  TEXT_CODE("text/code", Encoding.TEXT),
  /** A JSON value; validated on send, carried as JSON. */
  APPLICATION_JSON("application/json", Encoding.JSON),
  /** Bytes; base64 on the wire. */
  OCTET_STREAM("application/octet-stream", Encoding.BASE64),
  /** A reference to external content: one absolute URI. */
  REFERENCE("text/uri-list", Encoding.TEXT);

  /** How a payload of this type travels on the wire. */
  public enum Encoding {
    TEXT,
    JSON,
    BASE64
  }

  private final String mediaType;
  private final Encoding encoding;

  ContentType(String mediaType, Encoding encoding) {
    this.mediaType = mediaType;
    this.encoding = encoding;
  }

  public String mediaType() {
    return mediaType;
  }

  public Encoding encoding() {
    return encoding;
  }

  /**
   * Parses a media type name.
   *
   * @throws MailroomException.InvalidRequest if it is not one Mailroom carries
   */
  public static ContentType parse(String text) {
    for (ContentType t : values()) {
      if (t.mediaType.equals(text)) {
        return t;
      }
    }
    throw MailroomException.InvalidRequest.field(
        "content_type",
        "'"
            + Names.abbreviate(text)
            + "' is not one of text/plain, text/markdown, text/code, application/json,"
            + " application/octet-stream, text/uri-list");
  }
}
