package dev.mailroom.core.blob;

import dev.mailroom.core.MailroomException;

/**
 * The rule for attachment and upload file names: 1–255 characters, no path separator, no control
 * character, not {@code .} or {@code ..}. A name is only shown and offered as the name to save
 * under; the server never opens a file by it.
 */
public final class FileNames {
  public static final int MAX_LENGTH = 255;

  private FileNames() {}

  /**
   * The name, checked.
   *
   * @throws MailroomException.InvalidRequest naming {@code field} if it breaks the rule
   */
  public static String check(String field, String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH) {
      throw MailroomException.InvalidRequest.field(
          field, "must be 1-" + MAX_LENGTH + " characters");
    }
    if (name.equals(".") || name.equals("..")) {
      throw MailroomException.InvalidRequest.field(field, "must not be . or ..");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        throw MailroomException.InvalidRequest.field(field, "must not contain / or \\");
      }
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw MailroomException.InvalidRequest.field(field, "must not contain control characters");
      }
    }
    return name;
  }
}
