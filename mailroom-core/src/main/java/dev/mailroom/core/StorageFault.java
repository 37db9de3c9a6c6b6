package dev.mailroom.core;

/**
 * Why an embedded store cannot write, when the cause is its file system rather than the store: a
 * refusal carries it ({@link MailroomException.Unavailable#fault()}), and so does the store's
 * health while it lasts. Both pass once the file system takes writes again; the store notices by
 * itself.
 */
public enum StorageFault {
  /** No space is left on the disk of the data directory (or a file there cannot grow). */
  DISK_FULL("disk_full", "the data directory's disk is full", ErrorCode.INSUFFICIENT_STORAGE),
  /** The data directory's file system was mounted (or remounted by the kernel) read-only. */
  READ_ONLY("read_only", "the data directory is read-only", ErrorCode.UNAVAILABLE);

  private final String wireName;
  private final String description;
  private final ErrorCode code;

  StorageFault(String wireName, String description, ErrorCode code) {
    this.wireName = wireName;
    this.description = description;
    this.code = code;
  }

  /** The name in health reports: {@code disk_full}, {@code read_only}. */
  public String wireName() {
    return wireName;
  }

  /** The cause in a few words, for answers and logs: "the data directory's disk is full". */
  public String description() {
    return description;
  }

  /** The code of a request refused because of it. */
  public ErrorCode code() {
    return code;
  }
}
