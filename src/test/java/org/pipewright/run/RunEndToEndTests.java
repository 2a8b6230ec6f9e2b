package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.worker.LocalLauncher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Runs through the HTTP API on a pool of two real forked worker JVMs: what a user of Ruffus expects
 * of {@code pipeline_run}, and what a pool of processes must survive.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:run-e2e;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s",
      "pipewright.workers.restart-backoff=100ms"
    })
class RunEndToEndTests {

  @TempDir static Path workspace;
  @TempDir static Path workers;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> workers.toString());
  }

  @LocalServerPort int port;
  @Autowired LocalLauncher launcher;

  Api api() {
    return new Api(port);
  }

  static String manyFiles(String name, int n) {
    StringBuilder outputs = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      outputs
          .append(i == 1 ? "" : ", ")
          .append("f")
          .append(String.format("%03d", i))
          .append(".txt");
    }
    return """
    name: %s
    tasks:
      - name: make
        originate: {output: [%s]}
        shell: "echo {output} > {output}"
      - name: shout
        transform: {input: make, filter: {suffix: .txt}, output: .up}
        shell: "tr a-z A-Z < {input} > {output}"
      - name: total
        merge: {input: shout, output: all.up}
        shell: "cat {input} > {output}"
    """
        .formatted(name, outputs);
  }

  @Test
  void aPipelineOfSeveralHundredJobsSucceedsWithTheRightOutputsAndASecondRunSkipsEverything()
      throws Exception {
    Api api = api();
    api.postPipeline(manyFiles("hundreds", 200));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"hundreds\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("jobs").asInt()).isEqualTo(401);
    assertThat(run.get("counts").get("SUCCEEDED").asInt()).isEqualTo(401);
    assertThat(run.get("progress").asDouble()).isEqualTo(1.0);
    Path dir = workspace.resolve("hundreds");
    assertThat(Files.readString(dir.resolve("f007.up"))).isEqualTo("F007.TXT\n");
    List<String> all = Files.readAllLines(dir.resolve("all.up"));
    assertThat(all).hasSize(200).startsWith("F001.TXT").endsWith("F200.TXT");

    JsonNode again = api.awaitEnd(api.startRun("{\"pipeline\": \"hundreds\"}"));

    assertThat(again.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(again.get("counts").get("SKIPPED").asInt()).as(again.toString()).isEqualTo(401);
  }

  @Test
  void touchingAnInputRerunsExactlyTheJobsDownstreamOfIt() throws Exception {
    Api api = api();
    api.postPipeline(manyFiles("touched", 10));
    api.awaitEnd(api.startRun("{\"pipeline\": \"touched\"}"));
    Path input = workspace.resolve("touched").resolve("f004.txt");
    Files.setLastModifiedTime(input, FileTime.from(Instant.now().plusSeconds(5)));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"touched\"}"));

    assertThat(run.get("state").asString()).isEqualTo("SUCCEEDED");
    List<String> ran = new ArrayList<>();
    for (JsonNode job : api.jobs(run.get("id").asLong(), "state=SUCCEEDED").get("jobs")) {
      ran.add(job.get("key").asString());
    }
    assertThat(ran).containsExactly("shout:4", "total:1");
  }

  @Test
  void aJobCannotReadItsWorkersLaunchTokenFromTheWorkersEnvironment() throws Exception {
    Api api = api();
    // The parent of the job's parent, the worker's fork shell, is the worker JVM; its environment
    // is readable by the same user.
    api.postPipeline(
        """
        name: nosy
        tasks:
          - name: peek
            files: {input: null, output: environ.txt}
            shell: "read _ _ _ w _ < /proc/$PPID/stat; tr '\\\\000' '\\\\n' < /proc/$w/environ > {output}"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"nosy\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    List<String> seen = Files.readAllLines(workspace.resolve("nosy").resolve("environ.txt"));
    assertThat(seen)
        .as("the worker's, not its shell's")
        .contains("PIPEWRIGHT_LAUNCH_TOKEN_FROM=stdin");
    assertThat(seen).anyMatch(line -> line.startsWith("PIPEWRIGHT_URL="));
    assertThat(seen).noneMatch(line -> line.contains("TOKEN="));
  }

  @Test
  void anOutputThatIsALinkOutOfTheWorkspaceFailsItsJobAndIsNeverRecorded() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: linker
        tasks:
          - name: link
            files: {input: null, output: secret.txt}
            shell: "ln -s /etc/passwd {output}"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"linker\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("FAILED");
    JsonNode job = api.jobs(run.get("id").asLong(), "").get("jobs").get(0);
    assertThat(job.get("error").asString()).contains("secret.txt", "out of the workspace");
    // The planner will not look through the link either: the pipeline cannot be planned until the
    // link is gone.
    var plan = api.send("POST", "/api/pipelines/linker/plan", "application/json", "{}");
    assertThat(plan.statusCode()).isEqualTo(422);
    assertThat(plan.body()).contains("path-escapes-workspace", "secret.txt");
  }

  @Test
  void aFailingJobWithTwoRetriesRunsThreeTimesThenFailsTheRun() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: flaky
        tasks:
          - name: fail
            files: {input: null, output: never.txt}
            shell: "echo try >> tries.log; exit 3"
            retries: 2
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"flaky\"}"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    assertThat(Files.readAllLines(workspace.resolve("flaky").resolve("tries.log"))).hasSize(3);
    JsonNode job =
        api.get(
            "/api/jobs/"
                + api.jobs(run.get("id").asLong(), "").get("jobs").get(0).get("id").asLong());
    assertThat(job.get("state").asString()).isEqualTo("FAILED");
    assertThat(job.get("exitCode").asInt()).isEqualTo(3);
    assertThat(job.get("attempts")).hasSize(3);
    assertThat(job.get("attempts").get(2).get("outcome").asString()).isEqualTo("FAILED");
    assertThat(job.get("command").asString()).isEqualTo("echo try >> tries.log; exit 3");
  }

  static final String TWO_BRANCHES =
      """
      name: %s
      tasks:
        - name: bad
          files: {input: null, output: bad.txt}
          shell: "exit 1"
        - name: after_bad
          transform: {input: bad, filter: {suffix: .txt}, output: .next}
          shell: "cp {input} {output}"
        - name: slow_good
          files: {input: null, output: good.txt}
          shell: "sleep 1; echo ok > {output}"
        - name: after_good
          transform: {input: slow_good, filter: {suffix: .txt}, output: .next}
          shell: "cp {input} {output}"
      """;

  @Test
  void keepGoingRunsEverythingThatDoesNotDependOnAFailure() throws Exception {
    Api api = api();
    api.postPipeline(TWO_BRANCHES.formatted("branches"));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"branches\", \"keepGoing\": true}"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    assertThat(Files.exists(workspace.resolve("branches").resolve("good.next"))).isTrue();
    JsonNode jobs = api.jobs(run.get("id").asLong(), "task=after_bad").get("jobs");
    assertThat(jobs.get(0).get("state").asString()).isEqualTo("BLOCKED");
  }

  @Test
  void withoutKeepGoingAFailureStopsWhatHasNotStarted() throws Exception {
    Api api = api();
    api.postPipeline(TWO_BRANCHES.formatted("stopping"));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"stopping\"}"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    assertThat(run.get("error").asString()).contains("bad:1");
    assertThat(Files.exists(workspace.resolve("stopping").resolve("good.next"))).isFalse();
  }

  @Test
  void cancellingARunKillsItsJobsAndLeavesNoProcessBehind() throws Exception {
    Api api = api();
    String marker = "pw-cancel-" + System.nanoTime();
    api.postPipeline(
        """
        name: sleepy
        tasks:
          - name: nap
            originate: {output: [a.txt, b.txt, c.txt, d.txt]}
            shell: "sh -c 'sleep 300; echo %s' > {output}"
        """
            .formatted(marker));
    long id = api.startRun("{\"pipeline\": \"sleepy\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> processesWith(marker) >= 2);

    api.post("/api/runs/" + id + "/cancel", "");

    await().atMost(Duration.ofSeconds(20)).until(() -> processesWith(marker) == 0);
    JsonNode run = api.get("/api/runs/" + id);
    assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
    assertThat(run.get("counts").get("CANCELLED").asInt()).isEqualTo(4);
  }

  @Test
  void killingAWorkerInTheMiddleOfAJobRetriesItOnAnotherWorker() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: victim
        tasks:
          - name: slow
            files: {input: null, output: out.txt}
            shell: "sleep 3; echo done > {output}"
        """);
    long id = api.startRun("{\"pipeline\": \"victim\"}");
    JsonNode running = firstJobRunning(api, id);
    long worker = running.get("workerId").asLong();
    long pid = launcher.pids().get(worker);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    JsonNode run = api.awaitEnd(id);
    assertThat(run.get("state").asString()).isEqualTo("SUCCEEDED");
    JsonNode job = api.get("/api/jobs/" + running.get("id").asLong());
    assertThat(job.get("attempts").get(0).get("outcome").asString()).isEqualTo("LOST");
    assertThat(job.get("attempts").get(1).get("outcome").asString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("workerId").asLong()).isNotEqualTo(worker);
    assertThat(Files.readString(workspace.resolve("victim").resolve("out.txt")))
        .isEqualTo("done\n");
    await() // and the pool is whole again, with a new process
        .atMost(Duration.ofSeconds(20))
        .until(() -> launcher.pids().size() == 2 && !launcher.pids().containsValue(pid));
  }

  @Test
  void theShippedSplitMergeExampleRunsTheTasksAfterItsSplitOnceTheChunksExist() throws Exception {
    Api api = api();
    api.postPipeline(Files.readString(Path.of("examples/split-merge.yaml")));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"split-merge\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("deferredTasks")).isEmpty();
    Path dir = workspace.resolve("split-merge");
    assertThat(Files.readString(dir.resolve("total.txt")).strip()).isEqualTo("500");
    assertThat(api.jobs(run.get("id").asLong(), "task=count").get("total").asInt()).isEqualTo(10);

    JsonNode again = api.awaitEnd(api.startRun("{\"pipeline\": \"split-merge\"}"));
    assertThat(again.get("counts").has("SUCCEEDED")).as(again.toString()).isFalse();
  }

  @Test
  void theShippedSeedExampleWritesAOneWithAJavaJobThatLogsToTheSharedLogUnderTheLock()
      throws Exception {
    Api api = api();
    api.postPipeline(Files.readString(Path.of("examples/seed.yaml")));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"seed\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readAllLines(workspace.resolve("seed").resolve("a.1"))).hasSize(100);
    long jobId = api.jobs(run.get("id").asLong(), "").get("jobs").get(0).get("id").asLong();
    JsonNode log = api.get("/api/runs/" + run.get("id").asLong() + "/logs?job=" + jobId);
    assertThat(log.get("records")).hasSize(2);
    assertThat(log.get("records").get(0).get("level").asString()).isEqualTo("DEBUG");
    assertThat(log.get("records").get(0).get("message").asString())
        .startsWith("task1, process name = ");
    assertThat(log.get("records").get(1).get("source").asString()).startsWith("worker-");
  }

  @Test
  void mkdirFoldersAreMadeBeforeEachJobAndPosttaskRunsOnceTheTaskSucceeded() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: modifiers
        tasks:
          - name: make
            originate: {output: [a.txt, b.txt]}
            shell: "echo {output} > {output}"
          - name: copy
            transform: {input: make, filter: {suffix: .txt}, output: .copy}
            mkdir: .d
            shell: "cp {input} {output} && test -d {output}.d || test -d $(basename {input} .txt).d"
            posttask: [{touch_file: copy.done}, {shell: "ls *.copy > listing.txt"}]
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"modifiers\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    Path dir = workspace.resolve("modifiers");
    assertThat(dir.resolve("a.d")).isDirectory();
    assertThat(dir.resolve("b.d")).isDirectory();
    assertThat(dir.resolve("copy.done")).exists();
    assertThat(Files.readAllLines(dir.resolve("listing.txt"))).containsExactly("a.copy", "b.copy");
    assertThat(api.jobs(run.get("id").asLong(), "task=copy").get("total").asInt()).isEqualTo(3);
  }

  @Test
  void aWorkerFrozenPastItsLeaseIsLostItsJobRunsElsewhereAndItsLateResultIsRefused()
      throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: frozen
        tasks:
          - name: slow
            files: {input: null, output: out.txt}
            shell: "sleep 12; echo $PIPEWRIGHT_JOB_ID >> {output}"
        """); // far longer than the 3 s lease: still running when its worker is declared lost
    long id = api.startRun("{\"pipeline\": \"frozen\"}");
    JsonNode running = firstJobRunning(api, id);
    long pid = launcher.pids().get(running.get("workerId").asLong());

    signal("STOP", pid); // no heartbeats from now on, and the job's shell keeps running
    JsonNode run;
    try {
      run = api.awaitEnd(id);
    } finally {
      signal("CONT", pid);
    }

    assertThat(run.get("state").asString()).isEqualTo("SUCCEEDED");
    JsonNode job = api.get("/api/jobs/" + running.get("id").asLong());
    assertThat(job.get("attempts").get(0).get("outcome").asString()).isEqualTo("LOST");
    assertThat(job.get("workerId").asLong()).isNotEqualTo(running.get("workerId").asLong());
    assertThat(Files.readAllLines(workspace.resolve("frozen").resolve("out.txt")))
        .as("the frozen worker's job was killed before it ran elsewhere, so it wrote nothing")
        .hasSize(1);
    await() // the frozen worker is replaced
        .atMost(Duration.ofSeconds(30))
        .until(() -> launcher.pids().size() == 2 && !launcher.pids().containsValue(pid));
  }

  @Test
  void aTouchOnlyRunMakesEveryOutputWithoutRunningAnythingAndLeavesThemUpToDate() throws Exception {
    Api api = api();
    api.postPipeline(manyFiles("touchy", 5).replace("tr a-z A-Z", "exit 9; tr a-z A-Z"));

    JsonNode touched =
        api.awaitEnd(api.startRun("{\"pipeline\": \"touchy\", \"touchOnly\": true}"));
    JsonNode after = api.awaitEnd(api.startRun("{\"pipeline\": \"touchy\"}"));

    assertThat(touched.get("state").asString()).as(touched.toString()).isEqualTo("SUCCEEDED");
    Path dir = workspace.resolve("touchy");
    assertThat(dir.resolve("f003.up")).isEmptyFile(); // touched, not made by the failing command
    assertThat(dir.resolve("all.up")).exists();
    assertThat(after.get("counts").get("SKIPPED").asInt()).as(after.toString()).isEqualTo(11);
  }

  static JsonNode firstJobRunning(Api api, long run) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> api.jobs(run, "").get("jobs").get(0),
            job -> job.get("state").asString().equals("RUNNING"));
  }

  static void signal(String name, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
  }

  static long processesWith(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .count();
  }

  static List<String> names(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "f" + i).toList();
  }
}
