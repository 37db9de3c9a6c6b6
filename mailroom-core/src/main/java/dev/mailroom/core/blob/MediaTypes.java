package dev.mailroom.core.blob;

import dev.mailroom.core.MailroomException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule for an attachment's media type: {@code type/subtype} in RFC 6838's restricted names,
 * without parameters, at most 127 characters; kept lowercase. It is what a download is served as,
 * always with {@code X-Content-Type-Options: nosniff}.
 */
public final class MediaTypes {
  public static final String OCTET_STREAM = "application/octet-stream";

  private static final Pattern RULE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");

  private MediaTypes() {}

  /**
   * The media type, checked and lowercased.
   *
   * @throws MailroomException.InvalidRequest naming {@code field} if it breaks the rule
   */
  public static String check(String field, String mediaType) {
    String lower = mediaType.toLowerCase(Locale.ROOT);
    if (!RULE.matcher(lower).matches()) {
      throw MailroomException.InvalidRequest.field(
          field, "must be a media type such as text/plain or image/png, without parameters");
    }
    return lower;
  }
}
