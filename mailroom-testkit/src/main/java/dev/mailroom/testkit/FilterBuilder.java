package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds a {@link MessageFilter} one condition at a time. Not thread-safe. */
final class FilterBuilder {
  private Optional<Instant> since = Optional.empty();
  private Optional<Instant> until = Optional.empty();
  private Optional<MessageId> afterId = Optional.empty();
  private Optional<MessageId> beforeId = Optional.empty();
  private Optional<AgentId> sender = Optional.empty();
  private Optional<Priority> minPriority = Optional.empty();
  private Optional<ContentType> contentType = Optional.empty();
  private Set<Tag> tags = Set.of();
  private Optional<Boolean> unread = Optional.empty();

  static FilterBuilder filter() {
    return new FilterBuilder();
  }

  FilterBuilder since(Instant t) {
    since = Optional.of(t);
    return this;
  }

  FilterBuilder until(Instant t) {
    until = Optional.of(t);
    return this;
  }

  FilterBuilder afterId(MessageId id) {
    afterId = Optional.of(id);
    return this;
  }

  FilterBuilder beforeId(MessageId id) {
    beforeId = Optional.of(id);
    return this;
  }

  FilterBuilder sender(String agent) {
    sender = Optional.of(AgentId.of(agent));
    return this;
  }

  FilterBuilder minPriority(Priority p) {
    minPriority = Optional.of(p);
    return this;
  }

  FilterBuilder contentType(ContentType t) {
    contentType = Optional.of(t);
    return this;
  }

  FilterBuilder tags(String... values) {
    tags = Arrays.stream(values).map(Tag::of).collect(Collectors.toUnmodifiableSet());
    return this;
  }

  FilterBuilder unread(boolean value) {
    unread = Optional.of(value);
    return this;
  }

  MessageFilter build() {
    return new MessageFilter(
        since,
        until,
        afterId,
        beforeId,
        sender,
        minPriority,
        contentType,
        tags,
        unread,
        Optional.empty());
  }
}
