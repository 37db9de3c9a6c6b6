package dev.mailroom.core.search;

import dev.mailroom.core.Message;
import dev.mailroom.core.Tag;
import dev.mailroom.core.blob.Attachment;
import java.util.ArrayList;
import java.util.List;

/**
 * What full-text search indexes of a message, in this order: the body ({@link #body}), its tags,
 * its sender's id and its attachments' names. Binary and reference ({@code text/uri-list}) payloads
 * contribute no body. Every index (SQLite, memory, Redis) is built from {@link #terms}.
 */
public final class SearchDocument {
  private SearchDocument() {}

  /**
   * The searchable text of a message's payload: the text of {@code text/plain}, {@code
   * text/markdown} and {@code text/code}; the string values (not the keys, numbers or literals) of
   * {@code application/json}, one per line; nothing for other types.
   */
  public static String body(Message m) {
    return switch (m.contentType()) {
      case TEXT_PLAIN, TEXT_MARKDOWN, TEXT_CODE -> m.payload().text();
      case APPLICATION_JSON -> JsonStrings.values(m.payload().text());
      case OCTET_STREAM, REFERENCE -> "";
    };
  }

  /** Every indexed term of the message, in document order. */
  public static List<String> terms(Message m) {
    List<String> terms = new ArrayList<>(SearchTokenizer.terms(body(m)));
    for (Tag t : m.tags()) {
      terms.addAll(SearchTokenizer.terms(t.value()));
    }
    terms.addAll(SearchTokenizer.terms(m.sender().value()));
    for (Attachment a : m.attachments()) {
      terms.addAll(SearchTokenizer.terms(a.name()));
    }
    return terms;
  }

  /** The terms joined by single spaces: what the SQLite FTS5 table is given. */
  public static String indexText(Message m) {
    return String.join(" ", terms(m));
  }
}
