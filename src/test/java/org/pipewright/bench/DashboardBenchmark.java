package org.pipewright.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/dashboard}: how fast the pages a dashboard reads answer for a run of N jobs (100,000
 * unless given), while the run is in progress and after it ended. The service runs in this JVM with
 * two local workers and is driven over HTTP as a browser or a script would.
 *
 * <p>The run is "seed -> split into N files -> transform each with a no-op Java job": a definition
 * may spell out at most 10,000 jobs one by one, so the N jobs come from a split, and their plan is
 * made (and their rows written) while the run is already going, as Ruffus does after a split.
 */
public final class DashboardBenchmark {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int WARMUPS = 2;
  private static final int SAMPLES = 20;
  private static final String PAGE = "/runs/{id}";

  private final BenchService service;

  private DashboardBenchmark(BenchService service) {
    this.service = service;
  }

  /** A path to time and whether it is a page (asked for as HTML) or the JSON API. */
  private record Target(String path, boolean html) {}

  /** The timings of one path in one phase. */
  private record Row(String path, String phase, double medianMs, double maxMs, int status) {}

  public static void main(String[] args) throws Exception {
    Path root =
        BenchService.freshRoot(Path.of(args.length > 0 ? args[0] : "target/bench-dashboard"));
    int n = 100_000;
    List<String> extra = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--paths") && i + 1 < args.length) {
        for (String path : args[++i].split(",")) {
          if (!path.isBlank()) {
            extra.add(path.strip());
          }
        }
      } else {
        n = Integer.parseInt(args[i].replace(",", "").replace("_", ""));
      }
    }
    try (BenchService service =
        BenchService.start(
            root,
            "--pipewright.workers.directory=" + root.resolve("workers"),
            "--pipewright.workers.count=2",
            "--pipewright.workers.max-batch=64")) {
      new DashboardBenchmark(service).run(n, extra);
    }
  }

  private void run(int n, List<String> extraPaths) throws Exception {
    System.out.printf(
        "bench/dashboard: 2 workers, a run of %,d jobs (seed -> split into %,d files -> transform"
            + " each with a no-op Java job)%n",
        n + 2, n);
    // A small run first: the JIT warms up and the run list holds more than one run.
    pipeline("dashboard-warmup", 2_000);
    long warm = start("dashboard-warmup");
    awaitEnd(warm);

    pipeline("dashboard", n);
    Instant postedAt = Instant.now();
    long posted = System.nanoTime();
    long id = start("dashboard");
    double postMs = (System.nanoTime() - posted) / 1e6;
    // The N jobs are planned and stored once the split ran; polling the run meanwhile shows
    // whether reading it waits for that.
    List<Double> polls = new ArrayList<>();
    JsonNode run;
    while (true) {
      long t = System.nanoTime();
      run = JSON.readTree(get("/api/runs/" + id));
      polls.add((System.nanoTime() - t) / 1e6);
      if (run.get("jobs").asInt() >= n + 2 || isOver(run)) {
        break;
      }
      Thread.sleep(20);
    }
    double createdMs = (System.nanoTime() - posted) / 1e6;
    JsonNode split = JSON.readTree(get("/api/runs/" + id + "/jobs?task=make")).get("jobs").get(0);
    double splitMs =
        Duration.between(postedAt, Instant.parse(split.get("finishedAt").asString())).toNanos()
            / 1e6;
    System.out.printf(
        "POST /api/runs answered in %.0f ms; the split ended %.0f ms after the post, all %,d"
            + " jobs were stored %.0f ms after it: %.1f s to plan and store the %,d jobs that"
            + " follow the split; the run was polled %d times meanwhile (row 'creating')%n",
        postMs,
        splitMs,
        run.get("jobs").asInt(),
        createdMs,
        (createdMs - splitMs) / 1000,
        n,
        polls.size());
    List<Row> rows = new ArrayList<>();
    rows.add(row("/api/runs/" + id, "creating", polls, 200));

    List<Target> targets = targets(id, n + 2, extraPaths);
    // Measured from a quarter done: pages then hold jobs in every state.
    JsonNode before = JSON.readTree(get("/api/runs/" + id));
    while (isRunning(before) && before.get("progress").asDouble() < 0.25) {
      Thread.sleep(200);
      before = JSON.readTree(get("/api/runs/" + id));
    }
    if (!isRunning(before)) {
      System.out.println("the run ended before it could be measured in progress; use a larger N");
    } else {
      rows.addAll(measure(targets, "running"));
      JsonNode after = JSON.readTree(get("/api/runs/" + id));
      System.out.printf(
          "measured in progress from %.1f%% to %.1f%% done%s%n",
          100 * before.get("progress").asDouble(),
          100 * after.get("progress").asDouble(),
          isRunning(after)
              ? ""
              : " (the run ended meanwhile: the last samples are not in progress)");
    }
    JsonNode done = awaitEnd(id);
    long runMs =
        Duration.between(
                Instant.parse(done.get("startedAt").asString()),
                Instant.parse(done.get("finishedAt").asString()))
            .toMillis();
    System.out.printf(
        "run %d ended %s: %,d jobs %s in %.1f s (%.0f jobs/s)%n",
        id,
        done.get("state").asString(),
        done.get("jobs").asInt(),
        done.get("counts"),
        runMs / 1000.0,
        done.get("jobs").asInt() * 1000.0 / Math.max(1, runMs));
    rows.addAll(measure(targets, "finished"));

    System.out.printf(
        "%n%-62s %-9s %10s %10s %6s%n", "path", "phase", "median ms", "max ms", "code");
    for (Row row : rows) {
      System.out.printf(
          "%-62s %-9s %10.1f %10.1f %6d%n",
          row.path(), row.phase(), row.medianMs(), row.maxMs(), row.status());
    }
  }

  /** The API paths a dashboard reads, the dashboard's own pages, and the paths asked for. */
  private List<Target> targets(long id, int jobs, List<String> extraPaths) throws Exception {
    String runs = "/api/runs/" + id;
    List<Target> targets = new ArrayList<>();
    targets.add(new Target(runs, false));
    targets.add(new Target(runs + "/jobs?limit=50", false));
    targets.add(new Target(runs + "/jobs?limit=50&offset=" + Math.max(0, jobs - 50), false));
    targets.add(new Target(runs + "/jobs?task=convert&state=SUCCEEDED&limit=50", false));
    targets.add(new Target("/api/runs", false));
    String page = PAGE.replace("{id}", Long.toString(id));
    targets.add(new Target(page, true));
    targets.add(new Target(page + "?offset=" + Math.max(0, jobs - 50), true));
    targets.add(new Target(page + "?task=convert&state=SUCCEEDED", true));
    targets.add(new Target("/", true));
    for (String path : extraPaths) {
      targets.add(new Target(path.replace("{id}", Long.toString(id)), true));
    }
    return targets;
  }

  /** Times every target: warm-ups, then samples taken in turns, so all see the same progress. */
  private List<Row> measure(List<Target> targets, String phase) throws Exception {
    Map<Target, List<Double>> times = new LinkedHashMap<>();
    Map<Target, Integer> statuses = new LinkedHashMap<>();
    for (Target target : targets) {
      for (int i = 0; i < WARMUPS; i++) {
        timed(target);
      }
      times.put(target, new ArrayList<>());
    }
    for (int i = 0; i < SAMPLES; i++) {
      for (Target target : targets) {
        long t = System.nanoTime();
        int status = timed(target);
        times.get(target).add((System.nanoTime() - t) / 1e6);
        statuses.merge(target, status, (a, b) -> a >= 300 ? a : b);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Target, List<Double>> entry : times.entrySet()) {
      rows.add(row(entry.getKey().path(), phase, entry.getValue(), statuses.get(entry.getKey())));
    }
    return rows;
  }

  private static Row row(String path, String phase, List<Double> millis, int status) {
    List<Double> sorted = millis.stream().sorted().toList();
    return new Row(path, phase, sorted.get(sorted.size() / 2), sorted.getLast(), status);
  }

  private int timed(Target target) throws Exception {
    HttpResponse<byte[]> response =
        service.send(
            request(target.path(), target.html()).build(), HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode();
  }

  private void pipeline(String name, int n) throws Exception {
    // The split writes the N files in one shell job; "xargs touch" keeps it to a few processes.
    String yaml =
        """
        name: %s
        tasks:
          - name: seed
            originate: {output: [seed.txt]}
            shell: "seq 1 %d > {output}"
          - name: make
            split: {input: seed, output: "f*.a"}
            shell: "sed 's/.*/f&.a/' {input} | xargs touch"
          - name: convert
            transform: {input: make, filter: {suffix: .a}, output: .b}
            java: org.pipewright.examples.NoopJob
        """
            .formatted(name, n);
    send("POST", "/api/pipelines", "application/yaml", yaml);
  }

  private long start(String pipeline) throws Exception {
    return JSON.readTree(
            send("POST", "/api/runs", "application/json", "{\"pipeline\": \"" + pipeline + "\"}"))
        .get("id")
        .asLong();
  }

  private JsonNode awaitEnd(long id) throws Exception {
    while (true) {
      JsonNode run = JSON.readTree(get("/api/runs/" + id));
      if (isOver(run)) {
        if (!run.get("state").asString().equals("SUCCEEDED")) {
          throw new IllegalStateException("run " + id + " ended " + run);
        }
        return run;
      }
      Thread.sleep(200);
    }
  }

  private static boolean isOver(JsonNode run) {
    return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.get("state").asString());
  }

  private static boolean isRunning(JsonNode run) {
    return run.get("state").asString().equals("RUNNING") && run.get("progress").asDouble() < 1;
  }

  private HttpRequest.Builder request(String path, boolean html) {
    return service.request(path).header("Accept", html ? "text/html" : "application/json").GET();
  }

  private String get(String path) throws Exception {
    return service.get(path);
  }

  private String send(String method, String path, String type, String body) throws Exception {
    return service.send(method, path, type, body);
  }
}
