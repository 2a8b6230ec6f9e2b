package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.worker.SlurmLauncher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Runs through the HTTP API on workers the SLURM launcher submits to a real cluster ({@code
 * .ci/slurm}): two small workers (1 core) and a big one (2 cores), which share the cores of a small
 * machine through {@code --oversubscribe}. After the last test the service stops, and squeue must
 * no longer show them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:slurm-e2e;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=slurm",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s",
      "pipewright.workers.restart-backoff=100ms",
      "pipewright.slurm.cpus=1",
      "pipewright.slurm.memory=256M",
      "pipewright.slurm.options[0]=--oversubscribe",
      "pipewright.slurm.groups[0].count=1",
      "pipewright.slurm.groups[0].cpus=2",
      "pipewright.slurm.groups[0].memory=512M",
      "pipewright.slurm.poll-interval=250ms",
      "pipewright.slurm.job-name=" + SlurmEndToEndTests.JOB_NAME
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class SlurmEndToEndTests {

  static final String JOB_NAME = "pipewright-e2e";

  @TempDir static Path workspace;
  @TempDir static Path workers;

  @BeforeAll
  static void cluster() {
    SlurmCluster.require();
  }

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> workers.toString());
  }

  @LocalServerPort int port;
  @Autowired SlurmLauncher launcher;

  Api api() {
    return new Api(port);
  }

  /** The workers the API lists, by id. */
  Map<Long, JsonNode> listedWorkers() throws Exception {
    Map<Long, JsonNode> byId = new HashMap<>();
    for (JsonNode worker : api().get("/api/workers?limit=1000").get("workers")) {
      byId.put(worker.get("id").asLong(), worker);
    }
    return byId;
  }

  @Test
  @Order(1)
  void aPipelineOfSeveralHundredJobsRunsEntirelyOnSlurmWorkersThatSqueueShows() throws Exception {
    Api api = api();
    api.postPipeline(RunEndToEndTests.manyFiles("slurm-hundreds", 150));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() ->
            Set.copyOf(SlurmCluster.queued(JOB_NAME)).containsAll(launcher.jobIds().values())
                && launcher.jobIds().size() == 3);
    Set<String> shown = Set.copyOf(SlurmCluster.queued(JOB_NAME));

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"slurm-hundreds\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.get("counts").get("SUCCEEDED").asInt()).isEqualTo(301);
    assertThat(Files.readAllLines(workspace.resolve("slurm-hundreds/all.up")))
        .hasSize(150)
        .startsWith("F001.TXT");
    Map<Long, JsonNode> listed = listedWorkers();
    Set<Long> ranOn = new HashSet<>();
    for (JsonNode job : api.jobs(run.get("id").asLong(), "").get("jobs")) {
      ranOn.add(job.get("workerId").asLong());
    }
    assertThat(ranOn)
        .allSatisfy(id -> {
          JsonNode worker = listed.get(id);
          assertThat(worker.get("launcher").asString()).isEqualTo("slurm");
          assertThat(shown).contains(worker.get("slurmJobId").asString());
        });
  }

  /** A job whose first attempt runs until it is killed; the second one succeeds at once. */
  static final String STUCK_ONCE =
      """
      name: %s
      tasks:
        - name: once
          files: {input: null, output: done.txt}
          shell: "if [ ! -e started ]; then touch started; sleep 60; fi; echo ok > {output}"
      """;

  /** Starts the pipeline, waits until its job runs, and returns the run and the job's worker. */
  long[] runUntilStuck(String name) throws Exception {
    Api api = api();
    api.postPipeline(STUCK_ONCE.formatted(name));
    long run = api.startRun("{\"pipeline\": \"" + name + "\"}");
    Path started = workspace.resolve(name).resolve("started");
    JsonNode job =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> api.jobs(run, "").get("jobs").get(0),
                j -> j.get("state").asString().equals("RUNNING") && Files.exists(started));
    return new long[] {run, job.get("id").asLong(), job.get("workerId").asLong()};
  }

  void assertRetriedAfterLoss(long run, long jobId, String slurmJob) throws Exception {
    Api api = api();
    JsonNode ended = api.awaitEnd(run);
    assertThat(ended.get("state").asString()).as(ended.toString()).isEqualTo("SUCCEEDED");
    JsonNode job = api.get("/api/jobs/" + jobId);
    assertThat(job.get("attempts")).hasSize(2);
    assertThat(job.get("attempts").get(0).get("outcome").asString()).isEqualTo("LOST");
    assertThat(job.get("attempts").get(1).get("outcome").asString()).isEqualTo("SUCCEEDED");
    // A fresh worker replaced the one whose job went.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> launcher.jobIds().size() == 3 && !launcher.jobIds().containsValue(slurmJob));
  }

  @Test
  @Order(2)
  void aWorkerWhoseSlurmJobIsCancelledMidJobIsReplacedAndTheJobRunsAgainToSuccess()
      throws Exception {
    long[] stuck = runUntilStuck("slurm-cancelled");
    String slurmJob = launcher.jobIds().get(stuck[2]);

    SlurmCluster.run("scancel", slurmJob);

    assertRetriedAfterLoss(stuck[0], stuck[1], slurmJob);
  }

  @Test
  @Order(3)
  void aWorkerWhoseSlurmJobIsRequeuedMidJobIsANewWorkerAndTheJobRunsAgainToSuccess()
      throws Exception {
    long[] stuck = runUntilStuck("slurm-requeued");
    String slurmJob = launcher.jobIds().get(stuck[2]);

    SlurmCluster.run("scontrol", "requeue", slurmJob);

    assertRetriedAfterLoss(stuck[0], stuck[1], slurmJob);
    assertThat(SlurmCluster.queued(JOB_NAME))
        .as("the requeued job was cancelled, not left to start again")
        .doesNotContain(slurmJob);
    assertThat(listedWorkers().get(stuck[2]).get("state").asString()).isEqualTo("LOST");
  }

  @Test
  @Order(4)
  void aTaskAskingForMoreCoresThanSmallWorkersHaveRunsOnlyOnTheBigOne() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: slurm-wide
        tasks:
          - name: wide
            originate: {output: [w1.txt, w2.txt, w3.txt, w4.txt, w5.txt, w6.txt]}
            shell: "echo $PPID > {output}"
            cpus: 2
          - name: narrow
            transform: {input: wide, filter: {suffix: .txt}, output: .n}
            shell: "cat {input} > {output}"
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"slurm-wide\"}"));

    assertThat(run.get("state").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
    Map<Long, JsonNode> listed = listedWorkers();
    for (JsonNode job : api.jobs(run.get("id").asLong(), "task=wide").get("jobs")) {
      assertThat(listed.get(job.get("workerId").asLong()).get("cpus").asInt())
          .as(job.get("key").asString())
          .isEqualTo(2);
    }
  }

  @Test
  @Order(5)
  void aTaskAskingForMoreThanAnyWorkerOffersFailsSayingSo() throws Exception {
    Api api = api();
    api.postPipeline(
        """
        name: slurm-too-wide
        tasks:
          - name: huge
            files: {input: null, output: huge.txt}
            touch: true
            cpus: 3
        """);

    JsonNode run = api.awaitEnd(api.startRun("{\"pipeline\": \"slurm-too-wide\"}"));

    assertThat(run.get("state").asString()).isEqualTo("FAILED");
    assertThat(api.jobs(run.get("id").asLong(), "").get("jobs").get(0).get("error").asString())
        .isEqualTo(
            "asks for 3 cpus, more than any worker offers: the slurm launcher starts workers of"
                + " 1 cpu, 256 MB; 2 cpus, 512 MB");
  }

  @Test
  @Order(6)
  void aShrunkPoolScancelsTheLeavingWorkersOnceTheirJobIsDoneAndAGrownOneSubmitsNewOnes()
      throws Exception {
    Api api = api();
    Map<Long, JsonNode> listed =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                this::listedWorkers,
                workers ->
                    launcher.jobIds().size() == 3
                        && launcher.jobIds().keySet().stream()
                            .allMatch(
                                id -> workers.get(id).get("state").asString().equals("ALIVE")));
    Map<Long, String> small = new HashMap<>(launcher.jobIds());
    small.keySet().removeIf(id -> listed.get(id).get("cpus").asInt() != 1);
    assertThat(small).hasSize(2);
    api.postPipeline(Api.originate("slurm-shrink", 6, "sleep 2; echo ok > {output}"));
    long run = api.startRun("{\"pipeline\": \"slurm-shrink\"}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.jobs(run, "state=RUNNING").get("jobs").size() == 3);

    JsonNode pool = api.put("/api/workers/pool", "{\"workers\": 0}");

    assertThat(pool.get("launcher").asString()).isEqualTo("slurm");
    assertThat(pool.get("workers").asInt()).isZero();
    JsonNode ended = api.awaitEnd(run);
    assertThat(ended.get("state").asString()).as(ended.toString()).isEqualTo("SUCCEEDED");
    for (JsonNode job : api.jobs(run, "").get("jobs")) {
      assertThat(api.get("/api/jobs/" + job.get("id").asLong()).get("attempts"))
          .as("the leaving workers finished their jobs: %s", job)
          .hasSize(1);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            Set.copyOf(SlurmCluster.queued(JOB_NAME)).stream().noneMatch(small::containsValue));
    assertThat(launcher.jobIds())
        .hasSize(1)
        .doesNotContainKeys(small.keySet().toArray(Long[]::new));
    Map<Long, JsonNode> after = listedWorkers();
    assertThat(small.keySet())
        .allMatch(id -> after.get(id).get("state").asString().equals("EXITED"));

    api.put("/api/workers/pool", "{\"workers\": 2}");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() ->
            launcher.jobIds().size() == 3
                && Set.copyOf(SlurmCluster.queued(JOB_NAME))
                    .containsAll(launcher.jobIds().values()));
  }

  /** The workers' SLURM jobs as the service stops, for {@link #goneFromSqueueOnceStopped}. */
  static final List<String> atStop = new java.util.ArrayList<>();

  @Test
  @Order(99)
  @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
  void squeueShowsTheWorkersUntilTheServiceStops() throws Exception {
    List<String> ours = List.copyOf(launcher.jobIds().values());

    assertThat(ours).hasSize(3);
    assertThat(SlurmCluster.queued(JOB_NAME)).containsAll(ours);
    atStop.addAll(ours);
  }

  /** Runs once {@code @DirtiesContext} has closed the service after the last test. */
  @AfterAll
  static void goneFromSqueueOnceStopped() throws Exception {
    if (!atStop.isEmpty()) {
      assertThat(SlurmCluster.queued(JOB_NAME)).doesNotContainAnyElementsOf(atStop);
    }
  }
}
