package dev.mailroom.bench;

import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TopicMatchBenchmark} through JMH (one fork, two 2-second warm-up iterations, three
 * 2-second measured ones by default) and records one line per benchmark, workload and pattern
 * count: the mean matches per second, the 99.9% confidence half-width JMH reports, and the lowest
 * and highest iteration.
 */
final class Matcher {
  private Matcher() {}

  static void run(Path out, int forks, int iterations, String include) throws Exception {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(TopicMatchBenchmark.class.getSimpleName() + include)
                    .forks(forks)
                    .warmupIterations(2)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(2))
                    .build())
            .run();
    for (RunResult r : results) {
      var score = r.getPrimaryResult();
      var stats = score.getStatistics();
      String benchmark = r.getParams().getBenchmark();
      new Report("topic_match")
          .put("benchmark", benchmark.substring(benchmark.lastIndexOf('.') + 1))
          .put("workload", r.getParams().getParam("workload"))
          .put("patterns", Integer.parseInt(r.getParams().getParam("patterns")))
          .put("ops_per_s", Report.round(score.getScore()))
          .put("error_999", Report.round(score.getScoreError()))
          .put("min", Report.round(stats.getMin()))
          .put("max", Report.round(stats.getMax()))
          .emit(out);
    }
  }
}
