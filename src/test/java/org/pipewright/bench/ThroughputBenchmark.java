package org.pipewright.bench;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.pipewright.worker.LocalLauncher;
import org.pipewright.worker.WorkerRepository;
import org.pipewright.worker.WorkerRow;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/throughput}: the service with two local workers, in this JVM, driven over HTTP as a
 * user would. Runs "originate N -> transform -> merge" (2N+1 jobs) with shell jobs and with a no-op
 * Java job, then again with everything up to date; then measures a worker's fork to first call, its
 * resident memory, and how long a job that becomes ready waits for an idle worker.
 */
public final class ThroughputBenchmark {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final BenchService service;

  private ThroughputBenchmark(BenchService service) {
    this.service = service;
  }

  public static void main(String[] args) throws Exception {
    Path root =
        BenchService.freshRoot(Path.of(args.length > 0 ? args[0] : "target/bench-throughput"));
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    List<String> kinds = args.length > 2 ? List.of(args[2].split(",")) : List.of("shell", "java");
    if (kinds.contains("shell")) {
      SpawnCeiling.print(root);
    }
    try (BenchService service =
        BenchService.start(
            root,
            "--pipewright.workers.directory=" + root.resolve("workers"),
            "--pipewright.workers.count=2",
            "--pipewright.workers.max-batch=" + System.getProperty("bench.batch", "64"))) {
      ThroughputBenchmark bench = new ThroughputBenchmark(service);
      System.out.printf(
          "bench/throughput: 2 workers, %d-job pipelines (originate %d -> transform"
              + " -> merge)%n",
          2 * n + 1, n);
      if (kinds.contains("java")) {
        FileCeiling.print(
            Path.of(service.context.getEnvironment().getProperty("pipewright.workspace.root")));
      }
      // Measured is a warm service, one that has run for a while: on two cores the JIT compilers
      // take most of a core for the first minute after start (Spring, Tomcat, H2 and Jackson's
      // hot paths, thousands of methods queued behind one another), and a service runs for days.
      // Untimed runs of each kind measured, in turn, for BENCH_WARMUP_SECONDS; each measured run
      // prints what the compilers still took during it.
      long warmupSeconds =
          Long.parseLong(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "60"));
      long warmUntil = System.nanoTime() + warmupSeconds * 1_000_000_000L;
      int warmups = 0;
      while (System.nanoTime() < warmUntil) {
        for (String kind : kinds) {
          String name = kind + "-warmup" + warmups;
          bench.pipeline(name, n, command(kind));
          bench.measure(name);
        }
        warmups++;
      }
      System.out.printf("warm-up: %d untimed runs of each kind in %d s%n", warmups, warmupSeconds);
      // Each kind is measured BENCH_RUNS (3) times, each on a pipeline of its own, so that one
      // run's luck (a JIT compilation, the VM's neighbours) shows as the spread, not the result.
      int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "3"));
      MeterRegistry registry = service.context.getBean(MeterRegistry.class);
      for (String kind : kinds) {
        List<Double> rates = new ArrayList<>();
        String last = null;
        for (int run = 1; run <= runs; run++) {
          last = kind + (run == 1 ? "" : "-" + run);
          bench.pipeline(last, n, command(kind));
          Map<String, Long> threads = ThreadCpu.now();
          Collection<Long> workerPids = bench.workerPids();
          long[] workersBefore = ThreadCpu.processes(workerPids);
          Map<String, Long> callsBefore = ProtocolCalls.now(registry);
          Result first = bench.measure(last);
          String cpu = ThreadCpu.since(threads, 6);
          long[] workersAfter = ThreadCpu.processes(workerPids);
          String calls = ProtocolCalls.since(callsBefore, ProtocolCalls.now(registry));
          double rate = first.ran * 1000.0 / first.runMillis;
          rates.add(rate);
          System.out.printf(
              "%-5s jobs, run %d: %5d jobs in %6d ms = %6.0f jobs/s%n",
              kind, run, first.ran, first.runMillis, rate);
          System.out.printf("      (control plane CPU by thread: %s)%n", cpu);
          System.out.printf(
              "      (workers' CPU: %d ms in their JVMs, %d ms in their jobs' processes)%n",
              workersAfter[0] - workersBefore[0], workersAfter[1] - workersBefore[1]);
          System.out.printf("      (workers' calls: %s)%n", calls);
        }
        Result second = bench.measure(last);
        List<Double> sorted = rates.stream().sorted().toList();
        System.out.printf(
            "%-5s jobs: median %6.0f jobs/s of %d runs (%s); second run (all up to date): %4d ms,"
                + " %d skipped%n",
            kind,
            sorted.get(sorted.size() / 2),
            runs,
            String.join(", ", rates.stream().map(r -> String.format("%.0f", r)).toList()),
            second.wallMillis,
            second.skipped);
      }
      bench.readyToStarted(200);
      if (System.getProperty("bench.launcher", "local").equals("local")) {
        bench.workerStartup(service.context);
      } else {
        System.out.println("worker fork -> first call and memory: measured for local workers only");
      }
    }
  }

  /** The local workers' pids; none for SLURM workers, which run elsewhere. */
  private Collection<Long> workerPids() {
    return service.context.getBeanProvider(LocalLauncher.class).stream()
        .flatMap(launcher -> launcher.pids().values().stream())
        .toList();
  }

  private record Result(int ran, int skipped, long runMillis, long wallMillis) {}

  private void pipeline(String name, int n, String action) throws Exception {
    StringBuilder outputs = new StringBuilder();
    for (int i = 0; i < n; i++) {
      outputs.append(i == 0 ? "" : ", ").append("f").append(i).append(".a");
    }
    String yaml =
        """
        name: %s
        tasks:
          - name: make
            originate: {output: [%s]}
            %s
          - name: convert
            transform: {input: make, filter: {suffix: .a}, output: .b}
            %s
          - name: gather
            merge: {input: convert, output: all.b}
            %s
        """
            .formatted(name, outputs, action, action, action);
    send("POST", "/api/pipelines", "application/yaml", yaml);
  }

  private static String command(String kind) {
    return kind.equals("shell")
        ? "shell: \"echo x > {output}\""
        : "java: org.pipewright.examples.NoopJob";
  }

  private Result measure(String pipeline) throws Exception {
    long start = System.nanoTime();
    JsonNode started =
        JSON.readTree(
            send("POST", "/api/runs", "application/json", "{\"pipeline\": \"" + pipeline + "\"}"));
    long id = started.get("id").asLong();
    JsonNode run;
    while (true) {
      run = JSON.readTree(send("GET", "/api/runs/" + id, null, null));
      if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.get("state").asString())) {
        break;
      }
      Thread.sleep(50);
    }
    long wall = (System.nanoTime() - start) / 1_000_000;
    if (!run.get("state").asString().equals("SUCCEEDED")) {
      throw new IllegalStateException("run " + id + " ended " + run);
    }
    JsonNode counts = run.get("counts");
    int ran = counts.has("SUCCEEDED") ? counts.get("SUCCEEDED").asInt() : 0;
    int skipped = counts.has("SKIPPED") ? counts.get("SKIPPED").asInt() : 0;
    long runMillis =
        Duration.between(
                Instant.parse(run.get("startedAt").asString()),
                Instant.parse(run.get("finishedAt").asString()))
            .toMillis();
    return new Result(ran, skipped, Math.max(1, runMillis), wall);
  }

  /** A chain of single-job tasks: each job becomes ready when the one before it completes. */
  private void readyToStarted(int length) throws Exception {
    StringBuilder yaml = new StringBuilder("name: chain\ntasks:\n");
    yaml.append("  - name: t0\n    originate: {output: [c.0]}\n")
        .append("    java: org.pipewright.examples.NoopJob\n");
    for (int i = 1; i < length; i++) {
      yaml.append("  - name: t")
          .append(i)
          .append("\n")
          .append("    transform: {input: t")
          .append(i - 1)
          .append(", filter: {suffix: .")
          .append(i - 1)
          .append("}, output: .")
          .append(i)
          .append("}\n    java: org.pipewright.examples.NoopJob\n");
    }
    send("POST", "/api/pipelines", "application/yaml", yaml.toString());
    Thread.sleep(500); // both workers idle in their long poll
    JsonNode run =
        JSON.readTree(send("POST", "/api/runs", "application/json", "{\"pipeline\": \"chain\"}"));
    long id = run.get("id").asLong();
    while (!JSON.readTree(send("GET", "/api/runs/" + id, null, null))
        .get("state")
        .asString()
        .equals("SUCCEEDED")) {
      Thread.sleep(20);
    }
    List<Double> waits = new ArrayList<>();
    JsonNode jobs = JSON.readTree(send("GET", "/api/runs/" + id + "/jobs?limit=1000", null, null));
    for (JsonNode job : jobs.get("jobs")) {
      JsonNode full = JSON.readTree(send("GET", "/api/jobs/" + job.get("id").asLong(), null, null));
      Instant queued = Instant.parse(full.get("queuedAt").asString());
      Instant started = Instant.parse(full.get("startedAt").asString());
      waits.add(Duration.between(queued, started).toNanos() / 1e6);
    }
    Collections.sort(waits);
    System.out.printf(
        "ready -> started on an idle warm worker (%d jobs in a chain): median %.2f ms,"
            + " p90 %.2f ms, max %.2f ms%n",
        waits.size(),
        waits.get(waits.size() / 2),
        waits.get(waits.size() * 9 / 10),
        waits.getLast());
  }

  /** Kills both warm workers and times their replacements from fork to registration. */
  private void workerStartup(ConfigurableApplicationContext context) throws Exception {
    LocalLauncher launcher = context.getBean(LocalLauncher.class);
    WorkerRepository workers = context.getBean(WorkerRepository.class);
    for (Map.Entry<Long, Long> worker : launcher.pids().entrySet()) {
      System.out.printf(
          "idle worker %d: resident %d MB%n", worker.getKey(), rssMb(worker.getValue()));
    }
    for (int round = 0; round < 3; round++) {
      Map<Long, Long> before = launcher.pids();
      before
          .values()
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<WorkerRow> fresh = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        fresh =
            workers.list(2).stream()
                .filter(w -> !before.containsKey(w.id()) && w.registeredAt() != null)
                .toList();
        if (fresh.size() == 2) {
          break;
        }
        Thread.sleep(10);
      }
      for (WorkerRow w : fresh) {
        System.out.printf(
            "worker %d: fork -> registered (first call) %d ms%n",
            w.id(), Duration.between(w.launchedAt(), w.registeredAt()).toMillis());
      }
    }
  }

  private static long rssMb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  private String send(String method, String path, String type, String body) throws Exception {
    return service.send(method, path, type, body);
  }
}
