package org.pipewright.run;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.pipewright.WorkspaceProperties;
import org.pipewright.plan.Plan;
import org.pipewright.run.PlanService.VersionedPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts, cancels and reports runs. A run is planned when it is posted (a plan that cannot be made
 * is refused then, with the planner's error); its jobs are stored and handed to the {@link
 * Scheduler}. Tasks after a split or subdivide are planned again once it ran, as Ruffus does.
 */
public class RunService {

  private static final Logger log = LoggerFactory.getLogger(RunService.class);

  private final PlanService plans;
  private final RunRepository runs;
  private final RunBook book;
  private final RunBuilder builder;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Path workspace;
  private final Map<String, Object> starting = new ConcurrentHashMap<>();
  private final int maxActiveRuns;

  /** This control plane: the owner of the runs it starts and takes over. */
  private final String owner;

  /**
   * Starts under way: counted with the active runs, so two at once cannot both take the last place.
   */
  private final AtomicInteger startsUnderWay = new AtomicInteger();

  /** One at a time: two plans of one run's deferred tasks at once would add the same jobs. */
  private final ExecutorService replans =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("replan").factory());

  RunService(
      PlanService plans,
      RunRepository runs,
      Scheduler scheduler,
      RunBuilder builder,
      PlatformTransactionManager txm,
      Clock clock,
      WorkspaceProperties workspace,
      int maxActiveRuns,
      String owner) {
    this.maxActiveRuns = maxActiveRuns;
    this.owner = owner;
    this.plans = plans;
    this.runs = runs;
    this.book = scheduler.book();
    this.builder = builder;
    this.tx = new TransactionTemplate(txm);
    this.clock = clock;
    this.workspace = workspace.root();
    scheduler.onGlobTaskDone(run -> replans.submit(() -> replan(run.id)));
  }

  /**
   * Plans and starts a run.
   *
   * @throws RunConflictException when a run of the same pipeline is in progress
   * @throws TooManyRunsException when as many runs as allowed are in progress
   */
  public RunRow start(RunRequest request) {
    if (book.activeCount() + startsUnderWay.incrementAndGet() > maxActiveRuns) {
      startsUnderWay.decrementAndGet();
      throw new TooManyRunsException(maxActiveRuns);
    }
    try {
      return startWithinLimit(request);
    } finally {
      startsUnderWay.decrementAndGet();
    }
  }

  private RunRow startWithinLimit(RunRequest request) {
    Object gate = starting.computeIfAbsent(request.pipeline(), p -> new Object());
    synchronized (gate) {
      VersionedPlan versioned =
          plans.plan(request.pipeline(), request.version(), request.planRequest());
      String pipeline = versioned.definition().name();
      if (book.hasActiveRun(pipeline)) {
        throw new RunConflictException(
            "a run of '" + pipeline + "' is in progress; cancel it or wait for it to end");
      }
      Plan plan = versioned.plan();
      RunRow row =
          new RunRow(
              0,
              pipeline,
              versioned.version(),
              RunState.QUEUED,
              request,
              PlannedRows.deferredTasks(plan),
              clock.instant(),
              null,
              null,
              null,
              0);
      PlannedRows planned = new PlannedRows(versioned.definition(), workspace);
      RunRow stored =
          tx.execute(status -> {
            // Another control plane on the same database may have started one meanwhile.
            if (runs.lockPipelineAndFindUnfinished(pipeline)) {
              throw new RunConflictException(
                  "a run of '"
                      + pipeline
                      + "' is in progress on another control plane; cancel it or wait for it to"
                      + " end");
            }
            long id = runs.insertRun(row, owner);
            runs.insertJobs(planned.rows(plan, id, 0, null));
            return runs.findRun(id).orElseThrow();
          });
      book.admit(stored, runs.jobsOfRun(stored.id()), builder);
      log.info(
          "Run {} of {} v{} started: {} jobs, {} to run",
          stored.id(),
          pipeline,
          stored.pipelineVersion(),
          plan.summary().jobs(),
          plan.summary().willRun());
      return runs.findRun(stored.id()).orElseThrow();
    }
  }

  /**
   * Cancels a run that is not over.
   *
   * @throws RunConflictException when it is over already
   */
  public RunRow cancel(long id) {
    RunRow row = run(id);
    if (row.state().isFinal()) {
      throw new RunConflictException("run " + id + " is over already (" + row.state() + ")");
    }
    if (!book.cancel(id, "cancelled by a user")) {
      Optional<String> scheduler = runs.owner(id).filter(other -> !other.equals(owner));
      RunRow now = run(id);
      if (scheduler.isPresent() && !now.state().isFinal()) {
        // Its jobs run on the workers of the control plane that owns it: only that one can stop
        // them.
        throw new RunConflictException(
            "run "
                + id
                + " is scheduled by another control plane ("
                + scheduler.get()
                + "); cancel it through that one");
      }
      return now;
    }
    return run(id);
  }

  /**
   * Takes into the scheduler the runs not over that no running control plane owns: those an earlier
   * process at this address left, and those of peers found dead.
   *
   * @return the ids of the runs taken
   */
  public List<Long> takeOrphanedRuns() {
    List<Long> taken = new ArrayList<>();
    // Runs of its own that this process dropped after a failed write are reloadDropped's to reread.
    for (long id : tx.execute(status -> runs.takeOrphanedRuns(owner))) {
      if (book.isActive(id)) {
        continue;
      }
      try {
        RunRow row = runs.findRun(id).orElseThrow();
        book.admit(row, runs.jobsOfRun(id), builder);
        taken.add(id);
        log.info("Run {} of {} taken over and resumed", id, row.pipeline());
      } catch (RuntimeException e) {
        // It is this process's now: reread it until it can be taken in, as after a failed write.
        log.error("Run {} could not be resumed yet", id, e);
        book.reloadLater(id);
      }
    }
    return taken;
  }

  /**
   * Rereads runs whose working copy the scheduler dropped after a failed write. A run that cannot
   * be read just now is tried again on the next call: dropping it here would leave it unfinished
   * for ever.
   */
  public void reloadDropped() {
    for (long id : book.runsToReload()) {
      try {
        Optional<RunRow> row = runs.findRun(id);
        // A write fails also when a peer took the run over: then it is the peer's to go on with.
        if (row.isPresent()
            && !row.get().state().isFinal()
            && runs.owner(id).filter(owner::equals).isPresent()) {
          book.admit(row.get(), runs.jobsOfRun(id), builder);
        } else {
          book.reloaded(id);
        }
      } catch (RuntimeException e) {
        // Still listed: tried again on the next call.
        log.warn("Run {} could not be reread yet: {}", id, e.getMessage());
      }
    }
  }

  private void replan(long runId) {
    RunBook.Replan ticket = book.startReplan(runId);
    if (ticket == null) {
      return;
    }
    try {
      VersionedPlan versioned =
          plans.plan(
              ticket.pipeline(),
              ticket.version(),
              ticket.definition(),
              ticket.request().planRequest());
      Plan plan = versioned.plan();
      Set<String> still = new LinkedHashSet<>(PlannedRows.deferredTasks(plan));
      Set<String> now = new LinkedHashSet<>(ticket.deferred());
      now.removeAll(still);
      List<JobRow> rows =
          new PlannedRows(ticket.definition(), workspace).rows(plan, runId, ticket.nextSeq(), now);
      tx.executeWithoutResult(status -> runs.insertJobs(rows));
      Map<String, JobRow> stored = new HashMap<>();
      for (JobRow row : runs.jobsOfRun(runId)) {
        stored.put(row.key(), row);
      }
      List<JobRow> added = new ArrayList<>();
      for (JobRow row : rows) {
        added.add(stored.get(row.key()));
      }
      if (!book.extend(runId, added, still)) {
        runs.cancelWaiting(runId, "the run ended while the jobs after its split were planned");
        return;
      }
      log.info("Run {}: planned {} jobs of {} after the split", runId, added.size(), now);
    } catch (PipewrightException | IllegalStateException e) {
      book.replanFailed(runId, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Run {}: planning after the split failed", runId, e);
      book.replanFailed(runId, "internal error");
    }
  }

  public RunRow run(long id) {
    return runs.findRun(id).orElseThrow(() -> new RunNotFoundException(id));
  }

  public List<RunRow> runs(
      @Nullable String pipeline, @Nullable RunState state, int offset, int limit) {
    return runs.listRuns(pipeline, state, offset, limit);
  }

  /** Every active run with its jobs per task and state, from memory. */
  public List<ActiveRunCounts> activeRuns() {
    return book.activeCounts();
  }

  /**
   * Jobs per task and state of a run whose row was just read. Once the row says the run ended, they
   * are the counts stored with that end: the memory's catch up with the commit a moment later, and
   * a run read as SUCCEEDED with one job short of it looks like a lost job.
   */
  public Map<String, Map<JobState, Integer>> counts(RunRow run) {
    return run.state().isFinal() ? runs.countsByTask(run.id()) : counts(run.id());
  }

  /** Jobs per task and state; from memory while the run is active, so polling it costs nothing. */
  public Map<String, Map<JobState, Integer>> counts(long runId) {
    Map<String, Map<JobState, Integer>> active = book.counts(runId);
    return active != null ? active : runs.countsByTask(runId);
  }

  /**
   * A page of a run's jobs in plan order. While the run is active here the page is chosen from
   * memory, by the states the run's counts show; after it, from the database.
   */
  public List<JobRow> jobs(
      long runId, @Nullable String task, @Nullable JobState state, int offset, int limit) {
    run(runId);
    ShownRun.Page live = book.page(runId, task, state, offset, limit);
    if (live != null) {
      // Only a ready job's state is newer in memory (QUEUED is never written on its own); any
      // other stored state is the job's latest, and its row's columns go with it.
      return runs.findJobs(live.ids()).stream()
          .map(row ->
              row.state() == JobState.PENDING
                  ? withState(row, live.states().getOrDefault(row.id(), row.state()))
                  : row)
          .toList();
    }
    if (offset >= countJobs(runId, task, state)) {
      return List.of();
    }
    return runs.pageJobs(runId, task, state, offset, limit);
  }

  private static JobRow withState(JobRow row, JobState state) {
    return state == row.state()
        ? row
        : new JobRow(
            row.id(),
            row.runId(),
            row.seq(),
            row.key(),
            row.task(),
            state,
            row.spec(),
            row.attempt(),
            row.lost(),
            row.workerId(),
            row.tokenHash(),
            row.queuedAt(),
            row.leasedAt(),
            row.startedAt(),
            row.finishedAt(),
            row.exitCode(),
            row.error(),
            row.version());
  }

  /** How many jobs {@link #jobs} pages through: from the run's counts, never a scan of its jobs. */
  public long countJobs(long runId, @Nullable String task, @Nullable JobState state) {
    long total = 0;
    for (Map.Entry<String, Map<JobState, Integer>> byState : counts(runId).entrySet()) {
      if (task != null && !task.equals(byState.getKey())) {
        continue;
      }
      for (Map.Entry<JobState, Integer> count : byState.getValue().entrySet()) {
        if (state == null || state == count.getKey()) {
          total += count.getValue();
        }
      }
    }
    return total;
  }

  public JobRow job(long id) {
    return runs.findJob(id).orElseThrow(() -> new JobNotFoundException(id));
  }

  /** Every finished attempt of a job; a successful last attempt is read from the job itself. */
  public List<AttemptRow> attempts(JobRow job) {
    List<AttemptRow> attempts = new ArrayList<>(runs.attempts(job.id()));
    if (job.state() == JobState.SUCCEEDED && job.finishedAt() != null) {
      attempts.add(
          new AttemptRow(
              job.id(),
              job.attempt(),
              job.workerId(),
              AttemptOutcome.SUCCEEDED,
              job.leasedAt(),
              job.startedAt(),
              job.finishedAt(),
              job.exitCode(),
              null));
    }
    return attempts;
  }

  /** Stops planning in the background, as the service stops. */
  public void stop() {
    replans.shutdownNow();
  }
}
