package dev.mailroom.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs the scenarios on the systems: for each run, for each system, S1 to S4 in turn, every case on
 * a fresh instance of the system that is closed before the next case starts, so that no two systems
 * ever run at once and no case inherits another's backlog. Between cases, {@code sync} flushes what
 * the last one left in the page cache.
 */
final class CompareRun {
  /** The scenarios, in the order they run. */
  static final List<String> SCENARIOS = List.of("S1", "S2", "S3", "S4");

  /** Where each finished case goes (the results file, the console). */
  @FunctionalInterface
  interface Sink {
    void accept(Result result) throws Exception;
  }

  private CompareRun() {}

  /** Runs everything; returns every result, in order. */
  static List<Result> run(
      Settings settings,
      List<Systems.Entry> systems,
      Set<String> scenarios,
      int runs,
      Path workDir,
      Sink sink)
      throws Exception {
    return run(settings, systems, scenarios, runs, workDir, null, sink);
  }

  /**
   * Runs everything, with S2's slowest deliveries traced to {@code slowest} if given; returns every
   * result, in order.
   */
  static List<Result> run(
      Settings settings,
      List<Systems.Entry> systems,
      Set<String> scenarios,
      int runs,
      Path workDir,
      SlowestDeliveries.@Nullable Log slowest,
      Sink sink)
      throws Exception {
    List<Result> all = new ArrayList<>();
    Sink both =
        r -> {
          all.add(r);
          sink.accept(r);
        };
    for (int run = 1; run <= runs; run++) {
      for (Systems.Entry system : systems) {
        Context ctx =
            new Context(settings, system, run, workDir.resolve(system.name()), slowest, both);
        for (String scenario : SCENARIOS) {
          if (!scenarios.contains(scenario)) {
            continue;
          }
          switch (scenario) {
            case "S1" -> DurablePublish.run(ctx);
            case "S2" -> EndToEndLatency.run(ctx);
            case "S3" -> FanOutDelivery.run(ctx);
            case "S4" -> CatchUp.run(ctx);
            default -> throw new IllegalArgumentException(scenario);
          }
        }
      }
    }
    return all;
  }

  /** One measured case on an open system: fills in the result's figures. */
  @FunctionalInterface
  interface CaseBody {
    void measure(MessagingSystem system, Result result) throws Exception;
  }

  /** One system in one run. */
  static final class Context {
    private final Settings settings;
    private final Systems.Entry system;
    private final int run;
    private final Path workDir;
    private final SlowestDeliveries.@Nullable Log slowest;
    private final Sink sink;
    private @Nullable String unavailable;
    private String durability = "";

    Context(
        Settings settings,
        Systems.Entry system,
        int run,
        Path workDir,
        SlowestDeliveries.@Nullable Log slowest,
        Sink sink) {
      this.settings = settings;
      this.system = system;
      this.run = run;
      this.workDir = workDir;
      this.slowest = slowest;
      this.sink = sink;
    }

    Settings settings() {
      return settings;
    }

    int run() {
      return run;
    }

    /** Where S2 traces its slowest deliveries, if asked to. */
    SlowestDeliveries.@Nullable Log slowest() {
      return slowest;
    }

    /**
     * Runs one case on a fresh instance of the system and emits its result: its figures, or the
     * error that ended it. Once the system could not be started, every later case of this run is
     * emitted as unavailable without trying again.
     */
    Result runCase(String scenario, String variant, String xName, int x, CaseBody body)
        throws Exception {
      if (unavailable != null) {
        return emit(
            base(scenario, variant, xName, x)
                .put("error", "unavailable: " + unavailable)
                .put("unavailable", true));
      }
      MessagingSystem instance;
      try {
        Files.createDirectories(workDir.getParent());
        instance = system.factory().create(workDir);
      } catch (Exception | Error e) {
        unavailable = describe(e);
        return emit(
            base(scenario, variant, xName, x)
                .put("error", "unavailable: " + unavailable)
                .put("unavailable", true));
      }
      durability = instance.durability();
      Result result = base(scenario, variant, xName, x);
      try (instance) {
        if (settings.serverWarmup().isPositive()) {
          instance.warmUp(settings.serverWarmup());
        }
        body.measure(instance, result);
      } catch (Exception | Error e) {
        result.put("error", describe(e));
      }
      settleDisk();
      return emit(result);
    }

    /** Emits a case that was not run because a lower rate already saturated the system. */
    Result skip(String scenario, String variant, String xName, int x, String why) throws Exception {
      return emit(base(scenario, variant, xName, x).put("skipped", true).put("why", why));
    }

    private Result base(String scenario, String variant, String xName, int x) {
      return Result.of(run, system.name(), durability, scenario, variant)
          .put("durability_class", system.durabilityClass())
          .put(xName, x)
          .put("time", java.time.Instant.now().toString());
    }

    private Result emit(Result r) throws Exception {
      sink.accept(r);
      return r;
    }

    private static String describe(Throwable e) {
      StringBuilder b = new StringBuilder();
      for (Throwable t = e; t != null && b.length() < 400; t = t.getCause()) {
        if (!b.isEmpty()) {
          b.append(" <- ");
        }
        b.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
      }
      return b.toString();
    }
  }

  /**
   * Flushes what earlier cases left in the page cache, so that their write-back does not land in
   * the next case's latencies.
   */
  static void settleDisk() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (Exception e) {
      // No sync(1): nothing to settle with.
    }
  }
}
