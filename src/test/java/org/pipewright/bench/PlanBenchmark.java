package org.pipewright.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.pipewright.pipeline.Action;
import org.pipewright.pipeline.FileFilter;
import org.pipewright.pipeline.InputRef;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.TaskSpec;
import org.pipewright.pipeline.UptodateCheck;
import org.pipewright.plan.DiskFileState;
import org.pipewright.plan.JobDigests;
import org.pipewright.plan.JobHistory;
import org.pipewright.plan.Plan;
import org.pipewright.plan.PlanRequest;
import org.pipewright.plan.Planner;

/**
 * {@code bench/plan}: plans "originate N files -> transform each (.a -> .b) -> merge into one"
 * (2N+1 jobs) with nothing built, then with everything built and recorded, and prints jobs,
 * milliseconds and peak heap. Real files on disk, the planner the service uses.
 */
public final class PlanBenchmark {

  private static final int MEASURED = 3;

  public static void main(String[] args) throws IOException {
    Path base = Path.of(args.length > 0 ? args[0] : "target/bench-plan");
    int[] sizes =
        args.length > 1
            ? Stream.of(args).skip(1).mapToInt(Integer::parseInt).toArray()
            : new int[] {20_000, 500_000};
    System.out.printf(
        "%-9s %-8s %9s %9s %9s %10s%n", "N", "state", "jobs", "best ms", "median ms", "peak heap");
    for (int n : sizes) {
      Path root = base.resolve("n" + n);
      delete(root);
      Files.createDirectories(root.resolve("p"));
      PipelineDefinition definition = definition(n);
      measure(n, "nothing", definition, root, JobHistory.EMPTY);
      Map<String, JobHistory.OutputRecord> records = build(root.resolve("p"), n);
      measure(n, "built", definition, root, path -> Optional.ofNullable(records.get(path)));
      delete(root);
    }
  }

  private static void measure(
      int n, String state, PipelineDefinition definition, Path root, JobHistory history) {
    Planner planner = new Planner();
    plan(planner, definition, root, history); // warm-up: class loading and JIT
    List<Long> times = new ArrayList<>();
    long peak = 0;
    Plan plan = null;
    for (int i = 0; i < MEASURED; i++) {
      plan = null;
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      plan = plan(planner, definition, root, history);
      times.add((System.nanoTime() - start) / 1_000_000);
      peak = Math.max(peak, peakHeap());
    }
    times.sort(null);
    if (Boolean.getBoolean("bench.histogram")) {
      histogram(); // while the plan is still referenced
    }
    int expectedToRun = state.equals("nothing") ? 2 * n + 1 : 0;
    if (plan.summary().willRun() != expectedToRun || plan.jobs().size() != 2 * n + 1) {
      throw new IllegalStateException("wrong plan: " + plan.summary());
    }
    System.out.printf(
        "%-9d %-8s %9d %9d %9d %8d MB%n",
        n, state, plan.jobs().size(), times.getFirst(), times.get(times.size() / 2), peak >> 20);
  }

  private static Plan plan(
      Planner planner, PipelineDefinition definition, Path root, JobHistory history) {
    DiskFileState files = new DiskFileState(root, "p");
    if (Boolean.getBoolean("bench.phases")) {
      long start = System.nanoTime();
      files.modifiedNanos("total.txt"); // lists and stats the whole folder
      System.out.printf(
          "  (listing the workdir: %d ms)%n", (System.nanoTime() - start) / 1_000_000);
    }
    return planner.plan(definition, files, history, PlanRequest.all());
  }

  private static PipelineDefinition definition(int n) {
    List<List<String>> outputs =
        IntStream.range(0, n).mapToObj(i -> List.of("f" + i + ".a")).toList();
    Action touch = new Action.Touch();
    return new PipelineDefinition(
        "bench",
        "p",
        List.of(
            task("make", new TaskSpec.Originate(outputs, List.of()), touch),
            task(
                "convert",
                new TaskSpec.Transform(
                    List.of(new InputRef.TaskOutput("make")),
                    new FileFilter.Suffix(".a", null),
                    List.of(".b"),
                    List.of(),
                    null),
                touch),
            task(
                "total",
                new TaskSpec.Merge(
                    List.of(new InputRef.TaskOutput("convert")), List.of("total.txt"), List.of()),
                touch)));
  }

  private static TaskDefinition task(String name, TaskSpec spec, Action action) {
    return new TaskDefinition(
        name,
        spec,
        action,
        List.of(),
        List.of(),
        true,
        null,
        List.of(),
        UptodateCheck.TIMESTAMPS,
        0);
  }

  /** Writes every output, each stage a second after the one before, and records them complete. */
  private static Map<String, JobHistory.OutputRecord> build(Path dir, int n) throws IOException {
    Map<String, JobHistory.OutputRecord> records = new HashMap<>();
    String action = JobDigests.action(new Action.Touch());
    long t0 = Instant.now().getEpochSecond() - 10;
    IntStream.range(0, n)
        .parallel()
        .forEach(i -> {
          write(dir.resolve("f" + i + ".a"), t0);
          write(dir.resolve("f" + i + ".b"), t0 + 1);
        });
    write(dir.resolve("total.txt"), t0 + 2);
    for (int i = 0; i < n; i++) {
      records.put("f" + i + ".a", new JobHistory.OutputRecord(action, "", t0 * 1_000_000_000L));
      records.put(
          "f" + i + ".b", new JobHistory.OutputRecord(action, "", (t0 + 1) * 1_000_000_000L));
    }
    records.put("total.txt", new JobHistory.OutputRecord(action, "", (t0 + 2) * 1_000_000_000L));
    return records;
  }

  private static void write(Path file, long epochSecond) {
    try {
      Files.write(file, new byte[0]);
      Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(epochSecond)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code -Dbench.histogram=true}: what the heap holds, to see where a plan's memory goes. */
  private static void histogram() {
    try {
      var server = ManagementFactory.getPlatformMBeanServer();
      var name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
      String text =
          (String)
              server.invoke(
                  name,
                  "gcClassHistogram",
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      text.lines().limit(18).forEach(System.out::println);
    } catch (Exception e) {
      System.out.println("no histogram: " + e);
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static void delete(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
