package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.lock.LocalLockChannel;
import org.pipewright.lock.LockChannel;
import org.pipewright.worker.LocalLauncher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Ruffus's shared logger and mutex, end to end: jobs on two real worker JVMs write to the shared
 * log under the shared lock, and the database and the rolling file hold every line once, each
 * entry's lines together; a shell job does the same with curl; a dead holder does not block.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:shared-log-e2e;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s",
      "pipewright.workers.restart-backoff=100ms",
      "pipewright.shared-log.max-file-size=10MB"
    })
class SharedLogEndToEndTests {

  @TempDir static Path workspace;
  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> folder.resolve("workers").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("logs/shared.log").toString());
    // As the built-in settings have it: local workers take their locks over the Unix socket.
    registry.add("pipewright.locks.socket", () -> folder.resolve("run/locks.sock").toString());
  }

  @LocalServerPort int port;
  @Autowired LocalLauncher launcher;
  @Autowired LockChannel lockChannel;
  @Autowired LocalLockChannel localLockChannel;

  Api api() {
    return new Api(port);
  }

  /** Every record of a run, in the log's order. */
  List<JsonNode> runLog(Api api, long run) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = api.get("/api/runs/" + run + "/logs?limit=1000&after=" + after);
      page.get("records").forEach(records::add);
      if (page.get("records").isEmpty()) {
        return records;
      }
      after = page.get("next").asLong();
    }
  }

  /** Each job's records follow each other: no other record lands inside an entry. */
  static void assertEntriesTogether(List<JsonNode> records, int perEntry) {
    Map<Long, List<Long>> seqsByJob = new HashMap<>();
    for (JsonNode record : records) {
      seqsByJob
          .computeIfAbsent(record.get("jobId").asLong(), j -> new ArrayList<>())
          .add(record.get("seq").asLong());
    }
    for (Map.Entry<Long, List<Long>> job : seqsByJob.entrySet()) {
      List<Long> seqs = job.getValue();
      assertThat(seqs).as("records of job " + job.getKey()).hasSize(perEntry);
      for (int i = 1; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).as("job " + job.getKey()).isEqualTo(seqs.get(i - 1) + 1);
      }
    }
  }

  @Test
  void theRuffusExampleRunsAndEveryJobsEntryStaysTogether() throws Exception {
    Api api = api();
    api.postPipeline(Files.readString(Path.of("examples/shared-log.yaml")));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"shared-log\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("jobs").asInt()).isEqualTo(48);
    List<JsonNode> records = runLog(api, run.get("id").asLong());
    assertThat(records).hasSize(96);
    assertEntriesTogether(records, 2);
    assertThat(records.get(0).get("message").asString()).startsWith("job = [");
    assertThat(records.get(1).get("message").asString()).startsWith("process name = ");
    assertThat(Files.readString(workspace.resolve("shared-log/c.4")))
        .isEqualTo(
            """
            [] -> ["c.1"]
            ["c.1"] -> ["c.2"]
            ["c.2"] -> ["c.3"]
            ["c.3"] -> ["c.4"]
            """);
  }

  @Test
  void aCounterIncrementedUnderTheLockByManyJobsEndsAtTheNumberOfJobsAndEveryLineIsLoggedOnce()
      throws Exception {
    int jobs = 60;
    int lines = 4;
    StringBuilder outputs = new StringBuilder();
    for (int i = 1; i <= jobs; i++) {
      outputs.append(i == 1 ? "" : ", ").append("n").append(i).append(".done");
    }
    Api api = api();
    api.postPipeline(
        """
        name: counter
        tasks:
          - name: count
            originate: {output: [%s], extras: [counter.txt, '%d']}
            java: org.pipewright.examples.LockedCounterJob
        """
            .formatted(outputs, lines));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"counter\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(workspace.resolve("counter/counter.txt")).strip())
        .isEqualTo(Integer.toString(jobs));
    List<JsonNode> records = runLog(api, run.get("id").asLong());
    assertThat(records).hasSize(jobs * lines);
    assertThat(records).extracting(r -> r.get("message").asString()).doesNotHaveDuplicates();
    assertThat(localLockChannel.sockets())
        .as("the workers took the lock over the lock channel's Unix socket, each on its own")
        .isPositive()
        .isEqualTo(lockChannel.sockets());
    assertEntriesTogether(records, lines);
    // The rolling file holds the same lines, once each, entries together.
    List<String> inFile = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("logs/shared.log"))) {
      if (line.contains(" counted ")) {
        inFile.add(line.substring(line.indexOf(": job ") + 2));
      }
    }
    assertThat(inFile)
        .containsExactlyElementsOf(records.stream().map(r -> r.get("message").asString()).toList());
  }

  @Test
  void aShellJobsOutputLinesArriveTaggedWithItsJobAndStream() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: chatty
        tasks:
          - name: talk
            originate: {output: talk.txt}
            shell: "printf 'out one\\\\nout two\\\\n'; echo 'to err' >&2; printf 'last' > {output}; printf 'no newline'"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"chatty\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    List<JsonNode> records = runLog(api, run.get("id").asLong());
    assertThat(records)
        .extracting(r -> r.get("stream").asString() + ": " + r.get("message").asString())
        .containsExactlyInAnyOrder(
            "stdout: out one", "stdout: out two", "stdout: no newline", "stderr: to err");
    assertThat(records).allSatisfy(r -> assertThat(r.get("jobId").isNull()).isFalse());
  }

  /** A shell job's own calls: PIPEWRIGHT_URL and PIPEWRIGHT_TOKEN are all curl needs. */
  static final String CURL =
      "curl -sf -H \"Authorization: Bearer $PIPEWRIGHT_TOKEN\" -H 'Content-Type: application/json'";

  @Test
  void aShellJobTakesTheLockAndAppendsUnderItWithCurlAndItsOwnToken() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: curling
        tasks:
          - name: call
            originate: {output: call.txt}
            shell: >-
              grant=$(%1$s -d '{{"owner": "curl", "requestId": "r1"}}' $PIPEWRIGHT_URL/api/locks/logging/acquire)
              && token=$(echo "$grant" | sed 's/.*"token":\\([0-9]*\\).*/\\1/')
              && %1$s -d "{{\\"records\\": [{{\\"level\\": \\"INFO\\", \\"source\\": \\"curl\\", \\"message\\": \\"from curl\\"}}], \\"lock\\": \\"logging\\", \\"token\\": $token}}" $PIPEWRIGHT_URL/api/log
              && %1$s -d "{{\\"token\\": $token}}" $PIPEWRIGHT_URL/api/locks/logging/release
              && echo done > {output}
        """
            .formatted(CURL));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"curling\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    List<JsonNode> records = runLog(api, run.get("id").asLong());
    long jobId = api.jobs(run.get("id").asLong(), "").get("jobs").get(0).get("id").asLong();
    JsonNode fromCurl =
        records.stream()
            .filter(r -> r.get("message").asString().equals("from curl"))
            .findFirst()
            .orElseThrow();
    // The token speaks for its job: the record is filed under it without naming it, and its source
    // lives in the job's own namespace, so it cannot pass for another writer.
    assertThat(fromCurl.get("jobId").asLong()).isEqualTo(jobId);
    assertThat(fromCurl.get("source").asString()).isEqualTo("job-" + jobId + ".1/curl");
    assertThat(api.get("/api/locks").toString()).doesNotContain("\"owner\":\"curl\"");
  }

  @Test
  void aJobsTokenOpensOnlyTheLogAndLocksForItsOwnJobAndOnlyWhileItRuns() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: confined
        tasks:
          - name: probe
            originate: {output: probe.txt}
            shell: >-
              echo "$PIPEWRIGHT_TOKEN" > token.txt
              && curl -s -o /dev/null -w '%{{http_code}}' -H "Authorization: Bearer $PIPEWRIGHT_TOKEN" $PIPEWRIGHT_URL/api/runs > {output}
              && echo >> {output}
              && curl -s -o /dev/null -w '%{{http_code}}' -H "Authorization: Bearer $PIPEWRIGHT_TOKEN" -H 'Content-Type: application/json' -d '{{"records": [{{"level": "INFO", "source": "probe", "message": "m", "jobId": 1}}]}}' $PIPEWRIGHT_URL/api/log >> {output}
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"confined\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    List<String> codes = Files.readAllLines(workspace.resolve("confined/probe.txt"));
    assertThat(codes.get(0)).as("the run API with a job's token").isEqualTo("403");
    long ownJob = api.jobs(run.get("id").asLong(), "").get("jobs").get(0).get("id").asLong();
    assertThat(codes.get(1))
        .as("another job's record with a job's token")
        .isEqualTo(ownJob == 1 ? "200" : "422");
    String token = Files.readString(workspace.resolve("confined/token.txt")).strip();
    var after =
        new Api("http://127.0.0.1:" + port, token)
            .send(
                "POST",
                "/api/log",
                "application/json",
                "{\"records\": [{\"level\": \"INFO\", \"source\": \"late\", \"message\": \"m\"}]}");
    assertThat(after.statusCode()).as("the token once its attempt ended").isEqualTo(401);
  }

  @Test
  void aLockHolderKilledWithKillNineDoesNotBlockTheOtherJobs() throws Exception {
    Api api = api();
    // Each job holds the lock for 4 s with a lease of a minute: only its worker's loss frees it
    // early. A lock taken with curl is the job's to release, as a file lock would be.
    api.postPipeline(
        """
        name: holders
        tasks:
          - name: hold
            originate: {output: [a.held, b.held]}
            shell: >-
              until grant=$(%1$s -d '{{"owner": "{output}", "requestId": "{output}", "leaseMs": 60000, "waitMs": 1000}}' $PIPEWRIGHT_URL/api/locks/slow/acquire); do sleep 0.1; done
              && token=$(echo "$grant" | sed 's/.*"token":\\([0-9]*\\).*/\\1/')
              && date +%%s%%N > {output}.started && sleep 4 && mv {output}.started {output}
              && %1$s -d "{{\\"token\\": $token}}" $PIPEWRIGHT_URL/api/locks/slow/release
        """
            .formatted(CURL));
    long runId = api.startRun("{\"pipeline\": \"holders\"}");
    Path dir = workspace.resolve("holders");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            Files.exists(dir.resolve("a.held.started"))
                || Files.exists(dir.resolve("b.held.started")));
    String first = Files.exists(dir.resolve("a.held.started")) ? "a.held" : "b.held";
    String second = first.equals("a.held") ? "b.held" : "a.held";
    long holder = -1;
    for (JsonNode job : api.jobs(runId, "").get("jobs")) {
      JsonNode detail = api.get("/api/jobs/" + job.get("id").asLong());
      if (detail.toString().contains(first)) {
        holder = detail.get("workerId").asLong();
      }
    }
    long pid = launcher.pids().get(holder);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    long killedAt = System.nanoTime();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            Files.exists(dir.resolve(second + ".started")) || Files.exists(dir.resolve(second)));
    double waited = (System.nanoTime() - killedAt) / 1e9;
    assertThat(waited).as("seconds until the other job got the lock").isLessThan(15);
    JsonNode run = api.awaitEnd(runId);
    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
  }
}
