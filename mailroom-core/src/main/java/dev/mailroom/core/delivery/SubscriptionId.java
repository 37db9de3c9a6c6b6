package dev.mailroom.core.delivery;

import dev.mailroom.core.MailroomException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Names a subscription: 1–64 characters of {@code A-Z a-z 0-9 _ -}. {@link #INBOX} is the implicit
 * subscription every agent has to its own mailbox (direct messages and broadcasts).
 */
public record SubscriptionId(String value) {
  // Before INBOX: the constructor needs it during class initialization.
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  /** The agent's own mailbox: what is sent to it directly or broadcast. */
  public static final SubscriptionId INBOX = new SubscriptionId("inbox");

  public SubscriptionId {
    if (!VALID.matcher(value).matches()) {
      throw MailroomException.InvalidRequest.field(
          "subscription_id", "must be 1-64 characters of A-Z a-z 0-9 _ -");
    }
  }

  public static SubscriptionId of(String value) {
    return new SubscriptionId(value);
  }

  /** A fresh id: {@code sub_} and 16 random base32 characters (80 bits). */
  public static SubscriptionId random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder id = new StringBuilder("sub_");
    for (int i = 0; i < 16; i++) {
      id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return new SubscriptionId(id.toString());
  }

  public boolean isInbox() {
    return equals(INBOX);
  }

  @Override
  public String toString() {
    return value;
  }
}
