package dev.mailroom.store.redis;

import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.PolicyDocument;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.OptionalLong;

/**
 * The access policy in Redis: the hash {@code policy} with the fields {@code version} and {@code
 * content}. A replacement is one script that compares the version, stores the document and tells
 * the other nodes ({@code P} event).
 */
final class RedisAccessStore implements AccessStore {
  private static final byte[][] FIELDS = {Codec.utf8("version"), Codec.utf8("content")};

  private final RedisLink link;
  private final Scripts scripts;
  private final RedisEvents events;

  RedisAccessStore(RedisLink link, Scripts scripts, RedisEvents events) {
    this.link = link;
    this.scripts = scripts;
    this.events = events;
  }

  @Override
  public PolicyDocument policy() {
    List<KeyValue<byte[], byte[]>> f =
        link.call(() -> link.sync().hmget(link.key("policy"), FIELDS));
    if (!f.get(0).hasValue()) {
      return PolicyDocument.EMPTY;
    }
    return new PolicyDocument(
        Long.parseLong(Codec.text(f.get(0).getValue())), Codec.text(f.get(1).getValue()));
  }

  @Override
  public OptionalLong replacePolicy(long expectedVersion, String document) {
    Long version =
        events.tracked(
            token ->
                link.run(
                    token,
                    scripts.replacePolicy(),
                    ScriptOutputType.INTEGER,
                    expectedVersion,
                    document),
            replaced -> replaced != 0);
    return version == 0 ? OptionalLong.empty() : OptionalLong.of(version);
  }
}
