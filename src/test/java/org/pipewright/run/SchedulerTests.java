package org.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.SteppedClock;
import org.pipewright.WorkspaceProperties;
import org.pipewright.pipeline.DefinitionParser;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineProperties;
import org.pipewright.pipeline.Resources;
import org.pipewright.pipeline.SourceFormat;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scheduling rules against the real schema, with a clock that only moves when told: which jobs
 * a worker gets, what a completion, a heartbeat, a lost worker and a cancel do to a run.
 */
@JdbcTest
@Transactional(propagation = Propagation.NOT_SUPPORTED)
// The catalog checks java: classes against pipewright.pipelines.java-packages.
@EnableConfigurationProperties(PipelineProperties.class)
@Import({DefinitionParser.class, PipelineCatalog.class, SchedulerTests.Parts.class})
@ComponentScan(
    basePackages = "org.pipewright.store",
    useDefaultFilters = false,
    includeFilters =
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern =
                "org\\.pipewright\\.store\\.Jdbc(RunRepository|JobHistory|PipelineRepository)"))
class SchedulerTests {

  @TempDir static Path workspace;

  @TestConfiguration
  static class Parts {
    @Bean
    SteppedClock clock() {
      return new SteppedClock();
    }

    @Bean
    JsonMapper jsonMapper() {
      return JsonMapper.builder().build();
    }

    @Bean
    WorkspaceProperties workspaceProperties() {
      return new WorkspaceProperties(workspace);
    }

    @Bean
    PlanService planService(
        PipelineCatalog catalog, JobHistoryRepository history, WorkspaceProperties ws) {
      return new PlanService(
          catalog,
          history,
          ws,
          new RunProperties(3, Duration.ofSeconds(1), Duration.ofSeconds(5), 100, 2_000_000));
    }
  }

  @Autowired PipelineCatalog catalog;
  @Autowired PlanService plans;
  @Autowired RunRepository repository;
  @Autowired JobHistoryRepository history;
  @Autowired PlatformTransactionManager transactions;
  @Autowired SteppedClock clock;
  @Autowired JdbcClient jdbc;

  /** Each {@link #start} is a new control-plane process, with an id of its own. */
  static final AtomicInteger PROCESSES = new AtomicInteger();

  String owner;

  Scheduler scheduler;
  RunService runs;

  void start(int maxLost) {
    start(maxLost, history, 100);
  }

  /** With the history the scheduler's steps write to (the planner reads the real one). */
  void start(int maxLost, JobHistoryRepository stepHistory) {
    start(maxLost, stepHistory, 100);
  }

  void start(int maxLost, JobHistoryRepository stepHistory, int maxActiveRuns) {
    owner = "control-plane-" + PROCESSES.incrementAndGet();
    jdbc.sql(
            "insert into control_plane (id, address, started_at, seen_at, version)"
                + " values (:id, '127.0.0.1:8080', current_timestamp, current_timestamp, 0)")
        .param("id", owner)
        .update();
    RunProperties properties =
        new RunProperties(
            maxLost, Duration.ofSeconds(1), Duration.ofSeconds(5), maxActiveRuns, 2_000_000);
    scheduler =
        new Scheduler(
            new RunStore(repository, stepHistory, countingCommits(transactions), owner),
            new CompletionRecorder(workspace, clock),
            clock,
            properties);
    runs =
        new RunService(
            plans,
            repository,
            scheduler,
            new RunBuilder(catalog, history),
            transactions,
            clock,
            new WorkspaceProperties(workspace),
            properties.maxActiveRuns(),
            owner);
  }

  /** Scheduler steps stored: each is one transaction. */
  final AtomicInteger stepCommits = new AtomicInteger();

  private PlatformTransactionManager countingCommits(PlatformTransactionManager real) {
    return new PlatformTransactionManager() {
      @Override
      public org.springframework.transaction.TransactionStatus getTransaction(
          org.springframework.transaction.@org.jspecify.annotations.Nullable TransactionDefinition
              definition) {
        return real.getTransaction(definition);
      }

      @Override
      public void commit(org.springframework.transaction.TransactionStatus status) {
        real.commit(status);
        stepCommits.incrementAndGet();
      }

      @Override
      public void rollback(org.springframework.transaction.TransactionStatus status) {
        real.rollback(status);
      }
    };
  }

  /** The real history, with {@code hook} run before each record is written. */
  private JobHistoryRepository historyWithHook(Runnable hook) {
    return new JobHistoryRepository() {
      @Override
      public org.pipewright.plan.JobHistory forPipeline(String pipeline) {
        return history.forPipeline(pipeline);
      }

      @Override
      public void record(
          String pipeline, String path, org.pipewright.plan.JobHistory.OutputRecord record) {
        hook.run();
        history.record(pipeline, path, record);
      }

      @Override
      public void forget(String pipeline, java.util.Collection<String> paths) {
        history.forget(pipeline, paths);
      }
    };
  }

  /** Worker 1's lease call for up to {@code max} jobs, bringing these results. */
  Scheduler.Leased leaseWith(int max, Completion... results) {
    return scheduler.completeAndLease(1, List.of(results), max, Scheduler.ANY, () -> false);
  }

  long run(String yaml, boolean keepGoing) {
    catalog.post(yaml.getBytes(StandardCharsets.UTF_8), SourceFormat.YAML);
    String name = yaml.lines().findFirst().orElseThrow().substring("name: ".length()).strip();
    return runs.start(new RunRequest(name, null, List.of(), List.of(), false, 1, keepGoing)).id();
  }

  static Completion done(Assignment a, AttemptOutcome outcome) {
    return new Completion(a.jobId(), a.attempt(), a.token(), outcome, 0, null, null, null);
  }

  void makeOutputs(Assignment a) throws Exception {
    for (String output : a.outputs()) {
      Path file = workspace.resolve(a.workdir()).resolve(output);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "x");
    }
  }

  static final String CHAIN =
      """
      name: %s
      tasks:
        - name: make
          originate: {output: [a.txt, b.txt, c.txt]}
          shell: "echo {output} > {output}"
        - name: up
          transform: {input: make, filter: {suffix: .txt}, output: .up}
          shell: "tr a-z A-Z < {input} > {output}"
      """;

  static Completion quick(Assignment a) {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    return new Completion(
        a.jobId(),
        a.attempt(),
        a.token(),
        AttemptOutcome.SUCCEEDED,
        0,
        start,
        start.plusMillis(1),
        null);
  }

  @Test
  void aRunPastTheMostAllowedAtOnceIsRefusedUntilOneEnds() {
    start(3, history, 2);
    long first = run(CHAIN.formatted("first"), false);
    run(CHAIN.formatted("second"), false);

    assertThatThrownBy(() -> run(CHAIN.formatted("third"), false))
        .isInstanceOf(TooManyRunsException.class)
        .hasMessageContaining("2 runs are in progress");

    runs.cancel(first);
    assertThat(run(CHAIN.formatted("third"), false)).isPositive();
  }

  @Test
  void workersGetReadyJobsInPlanOrderAndDependantsWaitForWhatTheyNeed() throws Exception {
    start(3);
    long id = run(CHAIN.formatted("chain"), false);

    List<Assignment> first = scheduler.lease(1, 10, 0);
    List<Assignment> second = scheduler.lease(2, 10, 0);

    assertThat(first).extracting(Assignment::key).containsExactly("make:1");
    assertThat(second).extracting(Assignment::key).containsExactly("make:2");
    assertThat(repository.findJob(first.get(0).jobId()).orElseThrow().state())
        .isEqualTo(JobState.LEASED);

    makeOutputs(second.get(0));
    scheduler.complete(2, List.of(done(second.get(0), AttemptOutcome.SUCCEEDED)));

    assertThat(scheduler.lease(2, 10, 0))
        .extracting(Assignment::key)
        .containsExactly("make:3"); // plan order: the transform made ready comes after
    assertThat(scheduler.lease(2, 10, 0)).extracting(Assignment::key).containsExactly("up:2");
    assertThat(runs.counts(id).get("make")).containsEntry(JobState.SUCCEEDED, 1);
  }

  static final String PAIR =
      """
      name: %s
      tasks:
        - name: make
          originate: {output: [a.txt, b.txt]}
          shell: "echo {output} > {output}"
        - name: up
          transform: {input: make, filter: {suffix: .txt}, output: .up}
          shell: "tr a-z A-Z < {input} > {output}"
      """;

  @Test
  void aLeaseThatBringsResultsTakesTheJobsTheyMadeReadyInTheSameStep() throws Exception {
    start(3);
    run(
        """
        name: handover
        tasks:
          - name: make
            originate: {output: [a.txt]}
            shell: "echo {output} > {output}"
          - name: up
            transform: {input: make, filter: {suffix: .txt}, output: .up}
            shell: "tr a-z A-Z < {input} > {output}"
        """,
        false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(a);
    int commits = stepCommits.get();

    Scheduler.Leased leased = leaseWith(10, done(a, AttemptOutcome.SUCCEEDED));

    assertThat(leased.acks()).extracting(Ack::accepted).containsExactly(true);
    // up:1 became ready in this very step, and is handed out with it: one write, not two.
    assertThat(leased.jobs()).extracting(Assignment::key).containsExactly("up:1");
    assertThat(stepCommits.get() - commits).isEqualTo(1);
    assertThat(repository.findJob(a.jobId()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(leased.jobs())
        .allSatisfy(job ->
            assertThat(repository.findJob(job.jobId()).orElseThrow().state())
                .isEqualTo(JobState.LEASED));
  }

  /** Starts a {@link #PAIR} run; worker 1 takes both make jobs, which make their outputs. */
  Completion[] bothMakeJobsDoneByWorker1(String name) throws Exception {
    run(PAIR.formatted(name), false);
    Assignment first = scheduler.lease(1, 1, 0).getFirst();
    Assignment second = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(first);
    makeOutputs(second);
    return new Completion[] {
      done(first, AttemptOutcome.SUCCEEDED), done(second, AttemptOutcome.SUCCEEDED)
    };
  }

  @Test
  void jobsMadeReadyThatTheBringerDoesNotTakeGoToTheOtherWorkers() throws Exception {
    start(3);
    Completion[] made = bothMakeJobsDoneByWorker1("shared");

    Scheduler.Leased leased = leaseWith(1, made);

    assertThat(leased.jobs()).extracting(Assignment::key).containsExactly("up:1");
    assertThat(scheduler.lease(2, 10, 0)).extracting(Assignment::key).containsExactly("up:2");
    assertThat(scheduler.lease(3, 10, 0)).isEmpty();
  }

  @Test
  void aStepThatCannotBeStoredNeitherAnswersTheResultsNorHandsOutTheJobsTheyMadeReady()
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean();
    JobHistoryRepository failing =
        historyWithHook(() -> {
          if (broken.get()) {
            throw new org.springframework.dao.DataAccessResourceFailureException("disk gone");
          }
        });
    start(3, failing);
    long id = run(PAIR.formatted("unstored"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(a);
    broken.set(true);

    Scheduler.Leased lost = leaseWith(10, done(a, AttemptOutcome.SUCCEEDED));

    assertThat(lost.acks()).isEmpty();
    assertThat(lost.jobs()).isEmpty();
    assertThat(
            jdbc.sql("select job_key, state from job where run_id = :run and state <> 'PENDING'")
                .param("run", id)
                .query()
                .listOfRows())
        .as("only make:1 is out, as before the step")
        .extracting(row -> row.get("JOB_KEY") + " " + row.get("STATE"))
        .containsExactly("make:1 LEASED");

    broken.set(false);
    runs.reloadDropped();
    Scheduler.Leased again = leaseWith(10, quick(a));

    assertThat(again.acks()).extracting(Ack::accepted).containsExactly(true);
    assertThat(again.jobs()).extracting(Assignment::key).containsExactly("make:2", "up:1");
  }

  /** A make task and a split of what it makes. */
  static final String SPLIT =
      """
      name: %s
      tasks:
        - name: make
          originate: {output: [a.txt]}
          shell: "echo {output} > {output}"
        - name: sp
          split: {input: make, output: "parts/*.txt"}
          shell: "true"
      """;

  /** Leaves at {@code path} in the job's workdir a symbolic link to a file out of the workspace. */
  void linkOutOfTheWorkspace(Assignment job, String path) throws Exception {
    Path link = workspace.resolve(job.workdir()).resolve(path);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, Files.createTempFile("outside", ".txt"));
  }

  @Test
  void aLeaseThatFailsInTheStepThatTookResultsStillStoresTheResults() throws Exception {
    start(3);
    catalog.post(SPLIT.formatted("escaping").getBytes(StandardCharsets.UTF_8), SourceFormat.YAML);
    runs.start(new RunRequest("escaping", null, List.of(), List.of(), true, 1, false));
    Assignment make = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(make);
    // A touch-only run records the split's outputs as it leases it: a link out of the workspace
    // where its glob looks makes that lease fail.
    linkOutOfTheWorkspace(make, "parts/out.txt");

    Scheduler.Leased leased = leaseWith(10, done(make, AttemptOutcome.SUCCEEDED));

    assertThat(leased.acks()).extracting(Ack::accepted).containsExactly(true);
    assertThat(leased.jobs()).isEmpty();
    assertThat(repository.findJob(make.jobId()).orElseThrow().state())
        .as("an acknowledged result is stored")
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aSplitWhoseOutputsCannotBeRecordedFailsSayingWhyAndItsResultIsNotClaimedStoredWhenItIsNot()
      throws Exception {
    start(1);
    run(SPLIT.formatted("splitout"), false);
    Assignment make = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(make);
    Assignment split = leaseWith(1, done(make, AttemptOutcome.SUCCEEDED)).jobs().getFirst();
    linkOutOfTheWorkspace(split, "parts/out.txt");

    Ack ack = scheduler.complete(1, List.of(done(split, AttemptOutcome.SUCCEEDED))).getFirst();
    Ack resent = scheduler.complete(1, List.of(done(split, AttemptOutcome.SUCCEEDED))).getFirst();

    JobRow stored = repository.findJob(split.jobId()).orElseThrow();
    assertThat(ack.accepted()).isTrue();
    assertThat(resent.accepted()).isTrue();
    assertThat(stored.state()).isEqualTo(JobState.FAILED);
    assertThat(stored.error())
        .startsWith("its outputs could not be recorded")
        .contains("outside the workspace");
  }

  @Test
  void aWorkerWaitingForWorkIsWokenForTheJobsTheBringerOfResultsLeft() throws Exception {
    start(3);
    Completion[] made = bothMakeJobsDoneByWorker1("wakes");
    java.util.concurrent.CompletableFuture<List<Assignment>> waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> scheduler.lease(2, 1, 20_000));
    Thread.sleep(300); // worker 2 waits in the scheduler

    Scheduler.Leased leased = leaseWith(1, made);

    assertThat(leased.jobs()).extracting(Assignment::key).containsExactly("up:1");
    assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .extracting(Assignment::key)
        .containsExactly("up:2");
  }

  @Test
  void aRunReadAsEndedIsCountedFromWhatWasStoredNotFromMemoryThatMayLagTheCommit() {
    start(3);
    long id = run(CHAIN.formatted("counted"), false);
    scheduler.lease(1, 1, 0);
    RunRow row = runs.run(id);
    RunRow ended =
        new RunRow(
            row.id(),
            row.pipeline(),
            row.pipelineVersion(),
            RunState.SUCCEEDED,
            row.request(),
            row.deferredTasks(),
            row.createdAt(),
            row.startedAt(),
            row.finishedAt(),
            row.error(),
            row.version());

    // Ready is a state of memory only; the stored rows of those jobs say PENDING.
    assertThat(runs.counts(row).get("make")).containsEntry(JobState.QUEUED, 2);
    assertThat(runs.counts(ended).get("make"))
        .doesNotContainKey(JobState.QUEUED)
        .containsEntry(JobState.PENDING, 2);
  }

  @Test
  void onlyJobsOfATaskSeenToBeQuickGoSeveralToAWorker() throws Exception {
    start(3);
    run(
        """
        name: quick
        tasks:
          - name: make
            originate: {output: [a.txt, b.txt, c.txt, d.txt, e.txt]}
            shell: "echo {output} > {output}"
        """,
        false);

    Assignment probe = scheduler.lease(1, 10, 0).getFirst();
    makeOutputs(probe);
    scheduler.complete(1, List.of(quick(probe)));

    assertThat(scheduler.lease(1, 10, 0)).hasSize(4);
  }

  @Test
  void aCompletionFromAnAttemptWhoseWorkerWasLostIsRefusedAndTheJobRunsElsewhere()
      throws Exception {
    start(3);
    run(CHAIN.formatted("lost"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();

    scheduler.workerLost(1, "gone");
    Ack late = scheduler.complete(1, List.of(done(a, AttemptOutcome.SUCCEEDED))).getFirst();
    Assignment retry = scheduler.lease(2, 1, 0).getFirst();

    assertThat(late.accepted()).isFalse();
    assertThat(retry.jobId()).isEqualTo(a.jobId());
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(retry.token()).isNotEqualTo(a.token());
    assertThat(repository.attempts(a.jobId()))
        .extracting(AttemptRow::outcome)
        .containsExactly(AttemptOutcome.LOST);
  }

  @Test
  void aJobThatLosesItsWorkerTooOftenFailsInsteadOfLoopingForever() {
    start(2);
    long id = run(CHAIN.formatted("doomed"), true);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();
    scheduler.workerLost(1, "gone");
    Assignment b = scheduler.lease(2, 1, 0).getFirst();
    scheduler.workerLost(2, "gone again");

    JobRow job = repository.findJob(b.jobId()).orElseThrow();

    assertThat(a.jobId()).isEqualTo(b.jobId());
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.error()).contains("lost 2 times");
    assertThat(runs.counts(id).get("up")).containsEntry(JobState.BLOCKED, 1);
  }

  @Test
  void aResentCompletionIsAcceptedWithoutBeingCountedTwice() throws Exception {
    start(3);
    long id = run(CHAIN.formatted("resent"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(a);

    Ack first = scheduler.complete(1, List.of(done(a, AttemptOutcome.SUCCEEDED))).getFirst();
    Ack again = scheduler.complete(1, List.of(done(a, AttemptOutcome.SUCCEEDED))).getFirst();

    assertThat(first.accepted()).isTrue();
    assertThat(again.accepted()).isTrue();
    assertThat(runs.attempts(repository.findJob(a.jobId()).orElseThrow()))
        .extracting(AttemptRow::outcome)
        .containsExactly(AttemptOutcome.SUCCEEDED);
    assertThat(runs.counts(id).get("make")).containsEntry(JobState.SUCCEEDED, 1);
  }

  @Test
  void aWrongAttemptTokenIsRefused() {
    start(3);
    run(CHAIN.formatted("forged"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();

    Ack ack =
        scheduler
            .complete(
                1,
                List.of(
                    new Completion(
                        a.jobId(),
                        a.attempt(),
                        "forged",
                        AttemptOutcome.SUCCEEDED,
                        0,
                        null,
                        null,
                        null)))
            .getFirst();

    assertThat(ack.accepted()).isFalse();
    assertThat(repository.findJob(a.jobId()).orElseThrow().state()).isEqualTo(JobState.LEASED);
  }

  @Test
  void heartbeatsMarkJobsRunningAndNameTheAttemptsOfACancelledRun() {
    start(3);
    long id = run(CHAIN.formatted("cancelled"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();
    AttemptRef ref = new AttemptRef(a.jobId(), a.attempt(), clock.instant());

    assertThat(scheduler.heartbeat(1, List.of(ref), List.of(), List.of())).isEmpty();
    assertThat(repository.findJob(a.jobId()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

    runs.cancel(id);

    assertThat(scheduler.heartbeat(1, List.of(ref), List.of(), List.of())).containsExactly(ref);
    assertThat(runs.run(id).state()).isEqualTo(RunState.CANCELLED);
    assertThat(runs.counts(id).get("make")).containsEntry(JobState.CANCELLED, 3);
  }

  @Test
  void aLeaseTheWorkerNeverMentionsIsTakenBackAfterTheGracePeriod() {
    start(3);
    run(CHAIN.formatted("unheard"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();

    scheduler.heartbeat(1, List.of(), List.of(), List.of());
    assertThat(repository.findJob(a.jobId()).orElseThrow().state()).isEqualTo(JobState.LEASED);
    clock.step(Duration.ofSeconds(6));
    scheduler.heartbeat(1, List.of(), List.of(), List.of());

    assertThat(repository.findJob(a.jobId()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  void jobsLimitCapsHowManyJobsOfATaskAreOutAtOnce() {
    start(3);
    run(
        """
        name: limited
        tasks:
          - name: make
            originate: {output: [a.txt, b.txt, c.txt, d.txt]}
            shell: "echo {output} > {output}"
            jobs_limit: 2
        """,
        false);

    assertThat(scheduler.lease(1, 10, 0)).hasSize(1);
    assertThat(scheduler.lease(2, 10, 0)).hasSize(1);
    assertThat(scheduler.lease(3, 10, 0)).isEmpty();
  }

  @Test
  void upToDateJobsAreSkippedWithTheirReasonAndARunWithNothingToDoSucceedsAtOnce()
      throws Exception {
    start(3);
    long first = run(CHAIN.formatted("uptodate"), false);
    List<Assignment> jobs;
    while (!(jobs = scheduler.lease(1, 10, 0)).isEmpty()) {
      for (Assignment a : jobs) {
        makeOutputs(a);
        clock.step(Duration.ofSeconds(1));
        scheduler.complete(1, List.of(done(a, AttemptOutcome.SUCCEEDED)));
      }
    }
    assertThat(runs.run(first).state()).isEqualTo(RunState.SUCCEEDED);

    long second =
        runs.start(new RunRequest("uptodate", null, List.of(), List.of(), false, 1, false)).id();

    assertThat(runs.run(second).state()).isEqualTo(RunState.SUCCEEDED);
    JobRow skipped = runs.jobs(second, "up", null, 0, 10).getFirst();
    assertThat(skipped.state()).isEqualTo(JobState.SKIPPED);
    assertThat(skipped.spec().reasons()).singleElement().asString().startsWith("up-to-date");
  }

  @Test
  void aStoredRunIsTakenUpAgainByANewSchedulerWithItsLeasesKept() throws Exception {
    start(3);
    long id = run(CHAIN.formatted("restarted"), false);
    Assignment held = scheduler.lease(1, 1, 0).getFirst();

    String earlier = owner;
    start(3); // a new process at the same address: nothing in memory
    jdbc.sql("update control_plane set stopped_at = current_timestamp where id = :id")
        .param("id", earlier)
        .update();
    runs.takeOrphanedRuns();
    List<Assignment> others = new java.util.ArrayList<>();
    List<Assignment> more;
    while (!(more = scheduler.lease(2, 10, 0)).isEmpty()) {
      others.addAll(more);
    }
    makeOutputs(held);
    Ack ack = scheduler.complete(1, List.of(done(held, AttemptOutcome.SUCCEEDED))).getFirst();

    assertThat(others)
        .filteredOn(a -> a.runId() == id) // earlier tests leave runs that are taken up too
        .extracting(Assignment::key)
        .containsExactly("make:2", "make:3");
    assertThat(ack.accepted()).isTrue();
    assertThat(runs.counts(id).get("make")).containsEntry(JobState.SUCCEEDED, 1);
  }

  @Test
  void aJobThatFailsAfterAnEarlierSuccessLeavesNoRecordSoTheNextPlanRunsItAgain() throws Exception {
    start(3);
    String yaml =
        """
        name: forgetful
        tasks:
          - name: make
            files: {input: null, output: out.txt}
            shell: "echo x > {output}"
        """;
    run(yaml, false);
    Assignment first = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(first);
    scheduler.complete(1, List.of(done(first, AttemptOutcome.SUCCEEDED)));
    assertThat(history.forPipeline("forgetful").lookup("out.txt")).isPresent();

    long second =
        runs.start(new RunRequest("forgetful", null, List.of(), List.of("make"), false, 1, false))
            .id();
    Assignment again = scheduler.lease(1, 1, 0).getFirst();
    scheduler.complete(1, List.of(done(again, AttemptOutcome.FAILED)));

    assertThat(runs.run(second).state()).isEqualTo(RunState.FAILED);
    assertThat(history.forPipeline("forgetful").lookup("out.txt")).isEmpty();
  }

  @Test
  void anActiveRunsJobsArePagedByTheStatesItsCountsShow() {
    start(3);
    long id = run(CHAIN.formatted("paged"), false);
    scheduler.lease(1, 1, 0); // make:1

    // Ready jobs are QUEUED for readers although only their lease is ever written.
    assertThat(repository.jobsOfRun(id).get(1).state()).isEqualTo(JobState.PENDING);
    assertThat(runs.countJobs(id, null, JobState.QUEUED)).isEqualTo(2);
    assertThat(runs.jobs(id, null, JobState.QUEUED, 0, 10))
        .extracting(JobRow::key, JobRow::state)
        .containsExactly(tuple("make:2", JobState.QUEUED), tuple("make:3", JobState.QUEUED));
    assertThat(runs.jobs(id, "make", JobState.QUEUED, 1, 10))
        .extracting(JobRow::key)
        .containsExactly("make:3");
    assertThat(runs.jobs(id, null, null, 2, 2))
        .extracting(JobRow::key)
        .containsExactly("make:3", "up:1");
    assertThat(runs.countJobs(id, "up", null)).isEqualTo(3);
  }

  @Test
  void aFinishedRunIsPagedFromTheDatabaseWithTheCountsStoredAsItEnded() throws Exception {
    start(3);
    long id = run(CHAIN.formatted("finished"), false);
    List<Assignment> jobs;
    while (!(jobs = scheduler.lease(1, 10, 0)).isEmpty()) {
      for (Assignment a : jobs) {
        makeOutputs(a);
        scheduler.complete(1, List.of(done(a, AttemptOutcome.SUCCEEDED)));
      }
    }

    assertThat(runs.run(id).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(runs.counts(id))
        .containsExactly(
            Map.entry("make", Map.of(JobState.SUCCEEDED, 3)),
            Map.entry("up", Map.of(JobState.SUCCEEDED, 3)));
    assertThat(runs.countJobs(id, "up", JobState.SUCCEEDED)).isEqualTo(3);
    assertThat(runs.jobs(id, "up", JobState.SUCCEEDED, 1, 10))
        .extracting(JobRow::key)
        .containsExactly("up:2", "up:3");
    assertThat(runs.jobs(id, null, null, 4, 10))
        .extracting(JobRow::key)
        .containsExactly("up:2", "up:3");
    assertThat(runs.jobs(id, null, JobState.FAILED, 0, 10)).isEmpty();
  }

  @Test
  void aRunIsShownWhileTheSchedulerStoresALongStep() throws Exception {
    java.util.concurrent.CountDownLatch storing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    JobHistoryRepository slow =
        historyWithHook(() -> {
          storing.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    start(3, slow);
    long id = run(CHAIN.formatted("shown"), false);
    Assignment a = scheduler.lease(1, 1, 0).getFirst();
    makeOutputs(a);
    Thread completing =
        Thread.ofVirtual()
            .start(() -> scheduler.complete(1, List.of(done(a, AttemptOutcome.SUCCEEDED))));
    try {
      assertThat(storing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      // The completion holds the scheduler's lock until its records are stored.
      Map<JobState, Integer> counts =
          assertTimeoutPreemptively(Duration.ofSeconds(5), () -> runs.counts(id).get("make"));
      List<JobRow> leased =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5), () -> runs.jobs(id, "make", JobState.LEASED, 0, 10));

      assertThat(counts).isEqualTo(Map.of(JobState.LEASED, 1, JobState.QUEUED, 2));
      assertThat(leased).extracting(JobRow::key).containsExactly("make:1");
    } finally {
      release.countDown();
      completing.join();
    }
    assertThat(runs.counts(id).get("make")).containsEntry(JobState.SUCCEEDED, 1);
  }

  static final String SIZED =
      """
      name: %s
      tasks:
        - name: big
          originate: {output: [b1.txt]}
          touch: true
          cpus: 4
          mem: 8G
        - name: small
          originate: {output: [s1.txt, s2.txt]}
          touch: true
      """;

  @Test
  void aJobGoesOnlyToAWorkerThatHasWhatItsTaskAsksForAndSmallerWorkersTakeTheJobsBehindIt() {
    start(3);
    run(SIZED.formatted("sized"), false);

    List<Assignment> small = scheduler.lease(1, 1, 0, new Resources(2, 16_384));
    List<Assignment> tooLittleMemory = scheduler.lease(2, 1, 0, new Resources(8, 4096));
    List<Assignment> big = scheduler.lease(3, 1, 0, new Resources(4, 8192));

    assertThat(small).extracting(Assignment::key).containsExactly("small:1");
    assertThat(tooLittleMemory).extracting(Assignment::key).containsExactly("small:2");
    assertThat(big).extracting(Assignment::key).containsExactly("big:1");
  }

  @Test
  void aJobNoWorkerCouldEverTakeFailsSayingWhyAndTheOthersRunOn() {
    start(3);
    long id = run(SIZED.formatted("toobig"), true);
    Resources largest = new Resources(2, 16_384);

    scheduler.failUnrunnable(
        asked -> asked.fitsIn(largest), asked -> "asks for " + asked + ", more than " + largest);
    List<Assignment> rest = scheduler.lease(1, 10, 0, largest);

    JobRow big = runs.jobs(id, "big", null, 0, 10).getFirst();
    assertThat(big.state()).isEqualTo(JobState.FAILED);
    assertThat(big.error()).isEqualTo("asks for 4 cpus, 8192 MB, more than 2 cpus, 16384 MB");
    assertThat(big.attempt()).isZero();
    assertThat(rest).extracting(Assignment::key).containsExactly("small:1");
    assertThat(runs.run(id).error()).contains("big:1", "asks for 4 cpus");
  }
}
