package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body, checked to be well-formed UTF-8 (RFC 3629) as it is read: no overlong form (the
 * parser would read {@code C0 AE} as {@code .}), no encoded surrogate, nothing past U+10FFFF, no
 * sequence cut short at the end. Bodies are declared UTF-8; text that is not must be refused, not
 * repaired. Read by one thread.
 */
final class Utf8Check extends FilterInputStream {
  private long offset;
  private int continuations;
  private int low = 0x80;
  private int high = 0xBF;

  Utf8Check(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      ended();
    } else {
      check(b);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      ended();
    }
    for (int i = 0; i < n; i++) {
      check(buf[off + i] & 0xFF);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would go unchecked: read them instead.
    long skipped = 0;
    while (skipped < n && read() >= 0) {
      skipped++;
    }
    return skipped;
  }

  private void check(int b) {
    if (continuations > 0) {
      if (b < low || b > high) {
        refuse();
      }
      continuations--;
      low = 0x80;
      high = 0xBF;
    } else if (b >= 0x80) {
      lead(b);
    }
    offset++;
  }

  /** The first byte of a sequence: how many follow, and the range of the next. */
  private void lead(int b) {
    if (b >= 0xC2 && b <= 0xDF) {
      continuations = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      continuations = 2;
      low = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
      high = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
    } else if (b >= 0xF0 && b <= 0xF4) {
      continuations = 3;
      low = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
      high = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be past U+10FFFF
    } else {
      refuse(); // a continuation byte out of place, C0, C1 (overlong) or F5..FF
    }
  }

  private void ended() {
    if (continuations > 0) {
      refuse();
    }
  }

  private void refuse() {
    throw MailroomException.InvalidRequest.field(
        JsonBodies.FIELD, "is not valid UTF-8 (at byte " + offset + ")");
  }
}
