package dev.mailroom.bench;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.core.topic.TopicIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Topic matcher throughput, one thread: the trie index with 1k, 100k and 1M subscribed patterns,
 * against a linear scan of every pattern with {@link SubscriptionPattern#matches}.
 *
 * <p>Two workloads. {@code dense}: names and patterns look like {@code s12.s7.s40}: 2 to 5 segments
 * from a fixed vocabulary of 100 per level; about 5% of pattern segments are {@code *} and 2% are
 * {@code **}, at any position, so the more patterns there are, the more of them each name matches.
 * {@code sparse}: a topic tree whose vocabulary grows with the pattern count, so each name matches
 * about one pattern at any size: three literal levels ({@code a3.b17.c5}, each level's vocabulary
 * the cube root of a quarter of the pattern count, so about four patterns share each three-level
 * prefix), then 80% a literal leaf out of 20 ({@code .e7}), 12% {@code .*}, 6% {@code .**}, and 2%
 * {@code **} one level up ({@code a3.b17.**}); names are a three-level prefix plus one leaf, a
 * fifth of them plus one more segment. {@code matchCached} cycles through 1,024 names, which all
 * fit the results cache; {@code matchUncached} cycles through 65,536, far more than the cache
 * holds, so nearly every call walks the trie (and pays for remembering and evicting). Each
 * operation is one match.
 *
 * <p>Run: {@code java -cp "mailroom-bench/target/classes:mailroom-bench/target/lib/*"
 * org.openjdk.jmh.Main TopicMatchBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx8g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class TopicMatchBenchmark {
  private static final int VOCABULARY = 100;
  private static final int CACHED_NAMES = 1 << 10;
  private static final int UNCACHED_NAMES = 1 << 16;

  @Param({"1000", "100000", "1000000"})
  public int patterns;

  @Param({"dense", "sparse"})
  public String workload;

  private TopicIndex<Integer> index = TopicIndex.create();
  private SubscriptionPattern[] all = new SubscriptionPattern[0];
  private MailboxName[] hot = new MailboxName[0];
  private MailboxName[] cold = new MailboxName[0];
  private int next;

  @Setup(Level.Trial)
  public void subscribe() {
    Random random = new Random(42);
    boolean sparse = workload.equals("sparse");
    int level = Math.max(2, (int) Math.round(Math.cbrt(patterns / 4.0)));
    Set<String> distinct = new HashSet<>();
    while (distinct.size() < patterns) {
      distinct.add(sparse ? treePattern(random, level) : pattern(random));
    }
    index = TopicIndex.create();
    List<SubscriptionPattern> list = new ArrayList<>(patterns);
    int value = 0;
    for (String p : distinct) {
      SubscriptionPattern pattern = SubscriptionPattern.of(p);
      list.add(pattern);
      index.add(pattern, value++);
    }
    all = list.toArray(SubscriptionPattern[]::new);
    hot = sparse ? treeNames(random, level, CACHED_NAMES) : names(random, CACHED_NAMES);
    cold = sparse ? treeNames(random, level, UNCACHED_NAMES) : names(random, UNCACHED_NAMES);
  }

  @Benchmark
  public Set<Integer> matchCached() {
    return index.match(hot[next++ & (CACHED_NAMES - 1)]);
  }

  @Benchmark
  public Set<Integer> matchUncached() {
    return index.match(cold[next++ & (UNCACHED_NAMES - 1)]);
  }

  @Benchmark
  public int linearScan() {
    MailboxName name = hot[next++ & (CACHED_NAMES - 1)];
    int found = 0;
    for (SubscriptionPattern pattern : all) {
      if (pattern.matches(name)) {
        found++;
      }
    }
    return found;
  }

  private static String pattern(Random random) {
    int depth = 2 + random.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      if (i > 0) {
        b.append('.');
      }
      int roll = random.nextInt(100);
      if (roll < 5) {
        b.append('*');
      } else if (roll < 7) {
        b.append("**");
      } else {
        b.append('s').append(random.nextInt(VOCABULARY));
      }
    }
    return b.toString();
  }

  private static MailboxName[] names(Random random, int count) {
    MailboxName[] names = new MailboxName[count];
    for (int n = 0; n < count; n++) {
      int depth = 2 + random.nextInt(4);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        if (i > 0) {
          b.append('.');
        }
        b.append('s').append(random.nextInt(VOCABULARY));
      }
      names[n] = MailboxName.of(b.toString());
    }
    return names;
  }

  private static String treePrefix(Random random, int level) {
    return "a"
        + random.nextInt(level)
        + ".b"
        + random.nextInt(level)
        + ".c"
        + random.nextInt(level);
  }

  private static String treePattern(Random random, int level) {
    String prefix = treePrefix(random, level);
    int roll = random.nextInt(100);
    if (roll < 80) {
      return prefix + ".e" + random.nextInt(20);
    } else if (roll < 92) {
      return prefix + ".*";
    } else if (roll < 98) {
      return prefix + ".**";
    }
    return prefix.substring(0, prefix.lastIndexOf('.')) + ".**";
  }

  private static MailboxName[] treeNames(Random random, int level, int count) {
    MailboxName[] names = new MailboxName[count];
    for (int n = 0; n < count; n++) {
      String name = treePrefix(random, level) + ".e" + random.nextInt(20);
      if (random.nextInt(5) == 0) {
        name += ".f" + random.nextInt(10);
      }
      names[n] = MailboxName.of(name);
    }
    return names;
  }
}
