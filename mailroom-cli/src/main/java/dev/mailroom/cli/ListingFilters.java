package dev.mailroom.cli;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The listing filters of the HTTP API as options ({@code --unread}, {@code --since}, {@code
 * --from}, {@code --tag}, ...), shared by {@code inbox} and {@code search}: one spelling and one
 * meaning wherever messages are listed.
 */
final class ListingFilters {
  @Option(names = "--unread", description = "Only unread messages.")
  boolean unread;

  @Option(names = "--read", description = "Only messages already read.")
  boolean read;

  @Option(names = "--since", paramLabel = "TIME", description = "Sent at or after (ISO-8601).")
  @Nullable Instant since;

  @Option(names = "--until", paramLabel = "TIME", description = "Sent at or before (ISO-8601).")
  @Nullable Instant until;

  @Option(names = "--after", paramLabel = "ID", description = "With an id after this one.")
  @Nullable String after;

  @Option(names = "--before", paramLabel = "ID", description = "With an id before this one.")
  @Nullable String before;

  @Option(names = "--from", paramLabel = "AGENT", description = "Sent by this agent.")
  @Nullable String from;

  @Option(names = "--min-priority", paramLabel = "P", description = "low, normal, high, urgent.")
  @Nullable Priority minPriority;

  @Option(names = "--type", paramLabel = "TYPE", description = "Of this content type.")
  @Nullable String contentType;

  @Option(names = "--thread", paramLabel = "THREAD", description = "Of this thread.")
  @Nullable String thread;

  @Option(names = "--tag", paramLabel = "TAG", description = "Carrying this tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Sent within this long: 90s, 10m, 2h, 7d.")
  @Nullable Duration maxAge;

  /** A query builder with the filters given set. */
  ListQuery.Builder builder() {
    ListQuery.Builder b = ListQuery.builder();
    if (unread || read) {
      b.unread(unread);
    }
    Optional.ofNullable(since).ifPresent(b::since);
    Optional.ofNullable(until).ifPresent(b::until);
    Optional.ofNullable(after).ifPresent(b::afterId);
    Optional.ofNullable(before).ifPresent(b::beforeId);
    Optional.ofNullable(from).ifPresent(b::sender);
    Optional.ofNullable(thread).ifPresent(b::threadId);
    Optional.ofNullable(minPriority).ifPresent(b::minPriority);
    Optional.ofNullable(contentType).ifPresent(b::contentType);
    tags.forEach(b::tag);
    Optional.ofNullable(maxAge).ifPresent(b::maxAge);
    return b;
  }
}
