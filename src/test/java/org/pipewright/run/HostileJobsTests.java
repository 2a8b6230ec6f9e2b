package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Pipelines written to hurt, run on real worker JVMs through the HTTP API (SECURITY.md, the suite):
 * a job that prints without end, a fork loop, file names and extras that are shell code, and paths
 * that climb out of the workspace once decoded or substituted.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:hostile-jobs;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s",
      "pipewright.workers.restart-backoff=100ms",
      "pipewright.workers.max-job-processes=64",
      "pipewright.workers.max-job-output=4MB",
      "pipewright.runs.max-active-runs=1"
    })
class HostileJobsTests {

  @TempDir static Path root;

  static Path workspace() {
    return root.resolve("workspace");
  }

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace().toString());
    registry.add("pipewright.workers.directory", () -> root.resolve("workers").toString());
    registry.add("pipewright.shared-log.file", () -> root.resolve("shared.log").toString());
  }

  @LocalServerPort int port;

  Api api() {
    return new Api(port);
  }

  JsonNode onlyJob(long run) throws Exception {
    return api().get("/api/jobs/" + api().jobs(run, "").get("jobs").get(0).get("id").asLong());
  }

  @Test
  void aJobThatPrintsAGigabyteIsStoppedAtItsOutputLimitAndTheServiceServesOn() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: gigabyte
        tasks:
          - name: flood
            files: {input: null, output: never.txt}
            shell: "yes $(printf %0100d 0) | head -c 1073741824; touch {output}"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"gigabyte\"}"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    JsonNode job = onlyJob(run.get("id").asLong());
    assertThat(job.get("error").asString())
        .isEqualTo(
            "wrote more than 4194304 bytes to stdout (pipewright.workers.max-job-output); it was"
                + " killed");
    Path stdout;
    try (Stream<Path> files = Files.walk(workspace().resolve(".pipewright"))) {
      stdout =
          files
              .filter(f -> f.toString().endsWith(".stdout") && f.toFile().length() > 1 << 20)
              .findFirst()
              .orElseThrow();
    }
    assertThat(Files.size(stdout)).isBetween(4L << 20, 256L << 20);
    JsonNode logs =
        api.get("/api/runs/" + run.get("id").asLong() + "/logs?limit=1000&q=pipewright:");
    assertThat(logs.get("records").toString())
        .as("the shared log says where the rest is")
        .contains("the stdout past 4194304 bytes is in");
    assertThat(api.get("/actuator/health").get("status").asString()).isEqualTo("UP");
    api.postPipeline(Api.originate("after-flood", 3, "echo ok > {output}"));
    assertThat(
            api.awaitEnd(api.startRun("{\"pipeline\": \"after-flood\"}")).get("state").asString())
        .isEqualTo("SUCCEEDED");
  }

  /**
   * The live processes whose command line holds {@code marker}: what a job left behind (the job's
   * shell too, whose {@code -c} string holds it).
   */
  static long running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .filter(p -> {
          try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
          } catch (IOException | RuntimeException e) {
            return false;
          }
        })
        .count();
  }

  @Test
  void aJobThatForksUntilItIsStoppedFailsAtItsProcessLimitAndLeavesNoProcess() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: forks
        tasks:
          - name: loop
            files: {input: null, output: never.txt}
            shell: "while true; do sleep 62.25 & done"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"forks\"}"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    assertThat(onlyJob(run.get("id").asLong()).get("error").asString())
        .isEqualTo(
            "ran more than 64 processes at once (pipewright.workers.max-job-processes); it was"
                + " killed");
    assertThat(running("sleep 62.25")).as("processes of the job left").isZero();
    assertThat(api.get("/actuator/health").get("status").asString()).isEqualTo("UP");
  }

  @Test
  void cancellingARunAlsoKillsTheProcessesOfItsJobWhoseParentDied() throws Exception {
    Api api = api();
    // The subshell ends at once: its sleep is no longer the job's descendant, but init's.
    api.postPipeline(
        """
        name: orphans
        tasks:
          - name: hide
            files: {input: null, output: never.txt}
            shell: "(sleep 301.25 &); sleep 302.25"
        """);
    long id = api.startRun("{\"pipeline\": \"orphans\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> running("sleep 301.25") > 0 && running("sleep 302.25") > 0);

    api.post("/api/runs/" + id + "/cancel", "{}");

    assertThat(api.awaitEnd(id).get("state").asString()).isEqualTo("CANCELLED");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          assertThat(running("sleep 302.25")).as("the job's shell's child").isZero();
          assertThat(running("sleep 301.25")).as("the child whose parent died").isZero();
        });
  }

  @Test
  void aRunPastTheMostInProgressAtOnceIsRefusedWith429UntilOneEnds() throws Exception {
    Api api = api();
    api.postPipeline(Api.originate("slow", 1, "sleep 30; touch {output}"));
    api.postPipeline(Api.originate("next", 1, "touch {output}"));
    long slow = api.startRun("{\"pipeline\": \"slow\"}");

    HttpResponse<String> refused =
        api.send("POST", "/api/runs", "application/json", "{\"pipeline\": \"next\"}");

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(refused.body()).contains("too-many-runs");
    api.post("/api/runs/" + slow + "/cancel", "{}");
    api.awaitEnd(slow);
    assertThat(api.awaitEnd(api.startRun("{\"pipeline\": \"next\"}")).get("state").asString())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void fileNamesAndExtrasThatAreShellCodeReachTheCommandAsLiteralText() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: nasty
        tasks:
          - name: make
            originate:
              output: ["a; touch pwned1", "$(touch pwned2)", "`touch pwned3`", "b && touch pwned4 | c"]
              extras: ["; touch pwned5", "$(touch pwned6)", "`touch pwned7`", "'; touch pwned8; '"]
            shell: "printf '%s\\\\n' {extras} > {output}"
          - name: shout
            transform: {input: make, filter: {regex: '(.+)'}, output: '\\1.up', extras: ['\\1']}
            shell: "tr a-z A-Z < {input} > {output}; echo {extras[0]} >> {output}"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"nasty\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    Path workdir = workspace().resolve("nasty");
    for (String name : List.of("a; touch pwned1", "$(touch pwned2)", "`touch pwned3`")) {
      assertThat(Files.readAllLines(workdir.resolve(name)))
          .containsExactly(
              "; touch pwned5", "$(touch pwned6)", "`touch pwned7`", "'; touch pwned8; '");
      assertThat(Files.readAllLines(workdir.resolve(name + ".up")))
          .containsExactly(
              "; TOUCH PWNED5", "$(TOUCH PWNED6)", "`TOUCH PWNED7`", "'; TOUCH PWNED8; '", name);
    }
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("nothing the names or extras spelled ran")
          .noneMatch(f -> f.startsWith("pwned"));
    }
  }

  @Test
  void encodedTraversalInADefinitionIsALiteralNameInsideTheWorkdir() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: encoded
        tasks:
          - name: make
            originate: {output: ["%2e%2e/%2e%2e/escaped1.txt", "..%2fescaped2.txt", "%252e%252e%252fescaped3.txt", "..%5cescaped4.txt"]}
            shell: "echo x > {output}"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"encoded\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    Path workdir = workspace().resolve("encoded");
    assertThat(workdir.resolve("%2e%2e/%2e%2e/escaped1.txt")).exists();
    assertThat(workdir.resolve("..%2fescaped2.txt")).exists();
    assertThat(workdir.resolve("%252e%252e%252fescaped3.txt")).exists();
    assertThat(workdir.resolve("..%5cescaped4.txt")).exists();
    try (Stream<Path> files = Files.walk(root.getParent(), 2)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(f -> f.startsWith("escaped"));
    }
  }

  @Test
  void aTemplateWhoseSubstitutedValueClimbsOutOfTheWorkdirIsRefusedAndWritesNothingOutside()
      throws Exception {
    Api api = api();
    // No ".." in the definition: it appears only once the dots the regex caught are substituted.
    api.postPipeline(
        """
        name: climb
        tasks:
          - name: make
            originate: {output: [a.txt]}
            shell: "echo x > {output}"
          - name: out
            transform: {input: make, filter: {regex: '(?P<dot>\\.)txt'}, output: '\\g<dot>\\g<dot>/\\g<dot>\\g<dot>/climbed.txt'}
            shell: "cat {input} > {output}"
        """);

    HttpResponse<String> started =
        api.send("POST", "/api/runs", "application/json", "{\"pipeline\": \"climb\"}");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(422);
    assertThat(started.body())
        .contains("path-escapes-workspace")
        .contains("path 'a../../climbed.txt' resolves outside the workspace");
    assertThat(root.getParent().resolve("climbed.txt")).doesNotExist();
    assertThat(workspace().resolve("climbed.txt")).doesNotExist();
  }
}
