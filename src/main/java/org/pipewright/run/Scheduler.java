package org.pipewright.run;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.pipewright.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the jobs of active runs to workers and takes their results: Ruffus's task loop, for a pool
 * of worker processes that pull. The working copy of every active run is kept here, under one lock;
 * every step is stored in one transaction before its answer leaves (a worker never starts a job
 * whose lease is not stored), so a control plane that restarts carries on from the database.
 */
public class Scheduler {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition jobsReady = lock.newCondition();
  private final Map<Long, ActiveRun> active = new LinkedHashMap<>();
  private final Map<Long, JobSlot> jobs = new HashMap<>();
  private final Map<Long, Set<JobSlot>> held = new HashMap<>();
  private final Map<Long, Long> lastSeen = new HashMap<>();
  private final Set<Long> needsReload = new LinkedHashSet<>();
  private final RunStore store;
  private final Transitions rules;
  private final CompletionRecorder recorder;
  private final Clock clock;
  private final RunProperties properties;
  private Consumer<ActiveRun> onTaskSucceeded = run -> {};
  private int rotation;
  private boolean stopped;

  Scheduler(RunStore store, CompletionRecorder recorder, Clock clock, RunProperties properties) {
    this.store = store;
    this.recorder = recorder;
    this.clock = clock;
    this.properties = properties;
    this.rules = new Transitions(properties.maxLostAttempts(), recorder);
  }

  /** Called (outside the lock) when a split or subdivide of a run with deferred tasks is done. */
  void onGlobTaskDone(Consumer<ActiveRun> listener) {
    this.onTaskSucceeded = listener;
  }

  /**
   * Takes up to {@code max} jobs for a worker, waiting up to {@code waitMillis} for one. The worker
   * gets a fair share of what is ready, so one worker never hoards a queue the others could run.
   */
  public List<Assignment> lease(long workerId, int max, long waitMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    lock.lock();
    try {
      while (true) {
        lastSeen.put(workerId, System.nanoTime());
        if (stopped) {
          return List.of();
        }
        List<JobSlot> picked = pick(Math.max(1, max));
        if (!picked.isEmpty()) {
          return assign(workerId, picked);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return List.of();
        }
        jobsReady.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } finally {
      lock.unlock();
    }
  }

  private List<JobSlot> pick(int max) {
    int ready = 0;
    for (ActiveRun run : active.values()) {
      ready += run.readyCount;
    }
    if (ready == 0) {
      return List.of();
    }
    int share = Math.min(max, Math.max(1, ready / Math.max(1, liveWorkers())));
    List<ActiveRun> runs = new ArrayList<>(active.values());
    List<JobSlot> picked = new ArrayList<>(share);
    // Round robin over runs, one job at a time, so two runs share the pool.
    boolean any = true;
    while (picked.size() < share && any) {
      any = false;
      for (int i = 0; i < runs.size() && picked.size() < share; i++) {
        ActiveRun run = runs.get((rotation + i) % runs.size());
        if (run.failed && !run.request.keepGoing()) {
          continue;
        }
        JobSlot slot = run.poll();
        if (slot != null) {
          picked.add(slot);
          any = true;
          if (!run.quick(slot.task)) {
            return picked(picked); // a job that may be long goes alone
          }
        }
      }
    }
    return picked(picked);
  }

  private List<JobSlot> picked(List<JobSlot> picked) {
    rotation++;
    return picked;
  }

  /** Workers that asked for work within the longest lease wait: the ones sharing the queue. */
  private int liveWorkers() {
    long since = System.nanoTime() - 2 * properties.maxLeaseWait().toNanos();
    lastSeen.values().removeIf(seen -> seen < since);
    return lastSeen.size();
  }

  private List<Assignment> assign(long workerId, List<JobSlot> picked) {
    Instant now = clock.instant();
    Changes changes = new Changes();
    List<Assignment> assignments = new ArrayList<>(picked.size());
    for (JobSlot slot : picked) {
      String token = Tokens.generate();
      slot.move(JobState.LEASED);
      slot.attempt++;
      slot.workerId = workerId;
      slot.tokenHash = Tokens.hash(token);
      slot.leasedAt = now;
      slot.startedAt = null;
      slot.finishedAt = null;
      slot.exitCode = null;
      // Ruffus forgets a job's outputs as it starts: if it is interrupted, it has no record.
      List<String> recorded = new ArrayList<>(0);
      for (String output : slot.spec.checkOutputs()) {
        if (slot.run.recordedAtStart.lookup(output).isPresent()) {
          recorded.add(output);
        }
      }
      if (!recorded.isEmpty()) {
        changes.forget(slot.run.pipeline(), recorded);
      }
      changes.job(slot);
      held.computeIfAbsent(workerId, w -> new LinkedHashSet<>()).add(slot);
      assignments.add(recorder.assignment(slot, token));
    }
    if (!store(changes)) {
      return List.of();
    }
    return assignments;
  }

  /** Takes the results of finished attempts; each gets an answer, in order. */
  public List<Ack> complete(long workerId, List<Completion> completions) {
    List<ActiveRun> globTasksDone = new ArrayList<>();
    List<Ack> acks = new ArrayList<>(completions.size());
    lock.lock();
    try {
      lastSeen.put(workerId, System.nanoTime());
      Instant now = clock.instant();
      Changes changes = new Changes();
      for (Completion done : completions) {
        acks.add(completeOne(workerId, done, now, changes, globTasksDone));
      }
      if (!store(changes)) {
        // No answer: the worker sends them again, to the run reread from the database.
        return List.of();
      }
    } finally {
      lock.unlock();
    }
    globTasksDone.forEach(onTaskSucceeded);
    return acks;
  }

  private Ack completeOne(
      long workerId, Completion done, Instant now, Changes changes, List<ActiveRun> globDone) {
    JobSlot slot = jobs.get(done.jobId());
    if (slot == null || !slot.heldBy(workerId, done.attempt())) {
      if (slot != null && slot.reportedAttempt == done.attempt()
          || slot == null && store.attemptFinished(done.jobId(), done.attempt())) {
        return new Ack(done.jobId(), done.attempt(), true, "already stored");
      }
      return refuse(
          done,
          "attempt " + done.attempt() + " of job " + done.jobId() + " no longer holds its lease");
    }
    if (slot.tokenHash == null || !Tokens.matches(done.token(), slot.tokenHash)) {
      return refuse(done, "wrong attempt token");
    }
    held.getOrDefault(workerId, Set.of()).remove(slot);
    slot.reportedAttempt = done.attempt();
    if (done.startedAt() != null) {
      slot.startedAt = done.startedAt();
      if (done.finishedAt() != null) {
        slot.run.took(
            slot.task, java.time.Duration.between(done.startedAt(), done.finishedAt()).toNanos());
      }
    }
    slot.exitCode = done.exitCode();
    switch (done.outcome()) {
      case SUCCEEDED -> {
        slot.error = null;
        recorder.recordOutputs(slot, changes);
        rules.succeed(slot, now, changes);
        String kind = slot.run.tasks.get(slot.task).kind();
        if ((kind.equals("split") || kind.equals("subdivide"))
            && !slot.run.deferred.isEmpty()
            && slot.run.taskSucceeded(slot.task)) {
          slot.run.replans++; // the run waits for the plan of what follows the split
          globDone.add(slot.run);
        }
      }
      case FAILED ->
          rules.fail(
              slot, done.exitCode(), done.error() == null ? "failed" : done.error(), now, changes);
      case CANCELLED, LOST ->
          rules.lose(
              slot, done.error() == null ? "the worker gave it up" : done.error(), now, changes);
    }
    return new Ack(done.jobId(), done.attempt(), true, null);
  }

  private static Ack refuse(Completion done, String why) {
    return new Ack(done.jobId(), done.attempt(), false, why);
  }

  /**
   * A worker's heartbeat: what it runs, holds, and has finished but not yet seen acknowledged.
   * Returns the attempts it must kill: those of cancelled runs and any the control plane no longer
   * gives to it.
   */
  public List<AttemptRef> heartbeat(
      long workerId,
      List<AttemptRef> running,
      List<AttemptRef> leased,
      List<AttemptRef> reporting) {
    lock.lock();
    try {
      lastSeen.put(workerId, System.nanoTime());
      Instant now = clock.instant();
      Changes changes = new Changes();
      List<AttemptRef> cancel = new ArrayList<>();
      Set<JobSlot> mentioned = new LinkedHashSet<>();
      for (AttemptRef ref : running) {
        JobSlot slot = jobs.get(ref.jobId());
        if (slot == null || !slot.heldBy(workerId, ref.attempt())) {
          cancel.add(ref);
          continue;
        }
        mentioned.add(slot);
        if (slot.state == JobState.LEASED) {
          slot.move(JobState.RUNNING);
          slot.startedAt = ref.startedAt() == null ? now : ref.startedAt();
          changes.job(slot);
        }
      }
      for (AttemptRef ref : leased) {
        JobSlot slot = jobs.get(ref.jobId());
        if (slot == null || !slot.heldBy(workerId, ref.attempt())) {
          cancel.add(ref);
        } else {
          mentioned.add(slot);
        }
      }
      for (AttemptRef ref : reporting) {
        JobSlot slot = jobs.get(ref.jobId());
        if (slot != null && slot.heldBy(workerId, ref.attempt())) {
          mentioned.add(slot);
        }
      }
      // A lease whose answer never reached the worker: take it back after a grace period.
      Instant graceStart = now.minus(properties.unreportedGrace());
      for (JobSlot slot : List.copyOf(held.getOrDefault(workerId, Set.of()))) {
        if (!mentioned.contains(slot)
            && slot.leasedAt != null
            && slot.leasedAt.isBefore(graceStart)) {
          held.get(workerId).remove(slot);
          rules.lose(slot, "worker " + workerId + " never acknowledged the lease", now, changes);
        }
      }
      store(changes);
      return cancel;
    } finally {
      lock.unlock();
    }
  }

  /** The worker is gone (stopped heartbeating or died): its attempts are lost and tried again. */
  public void workerLost(long workerId, String why) {
    lock.lock();
    try {
      lastSeen.remove(workerId);
      Set<JobSlot> slots = held.remove(workerId);
      if (slots == null || slots.isEmpty()) {
        return;
      }
      Instant now = clock.instant();
      Changes changes = new Changes();
      for (JobSlot slot : slots) {
        if (slot.heldBy(workerId, slot.attempt)) {
          rules.lose(slot, why, now, changes);
        }
      }
      store(changes);
    } finally {
      lock.unlock();
    }
  }

  /** Declares lost the attempts of every worker that is not {@code alive}, as a restart begins. */
  public void loseUnless(java.util.function.LongPredicate alive, String why) {
    List<Long> gone = new ArrayList<>();
    lock.lock();
    try {
      for (Long worker : held.keySet()) {
        if (!alive.test(worker)) {
          gone.add(worker);
        }
      }
    } finally {
      lock.unlock();
    }
    gone.forEach(worker -> workerLost(worker, why));
  }

  /** A worker that exits on purpose no longer shares the queue. */
  public void workerGone(long workerId) {
    lock.lock();
    try {
      lastSeen.remove(workerId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Cancels a run: jobs not started never will be, and the workers of running ones are told to kill
   * them at their next heartbeat. Returns {@code false} when the run is not active here.
   */
  boolean cancel(long runId, String why) {
    lock.lock();
    try {
      ActiveRun run = active.get(runId);
      if (run == null) {
        return false;
      }
      Instant now = clock.instant();
      Changes changes = new Changes();
      for (JobSlot slot : run.slots()) {
        if (!slot.state.isFinal()) {
          if (slot.workerId != null) {
            held.getOrDefault(slot.workerId, Set.of()).remove(slot);
          }
          rules.cancel(slot, why, now, changes);
        }
      }
      run.error = why;
      finishIfDone(run, now, changes, RunState.CANCELLED);
      store(changes);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a stored run into the working set: a new one, one found unfinished at start-up, or one
   * reread after a failed write. Jobs whose dependencies are done are queued; held jobs stay with
   * their workers (who may still be alive and will be heard from, or are declared lost).
   */
  void admit(RunRow row, List<JobRow> rows, RunBuilder builder) {
    lock.lock();
    try {
      Instant now = clock.instant();
      Changes changes = new Changes();
      ActiveRun run = builder.build(row, rows);
      if (active.containsKey(run.id)) {
        return;
      }
      active.put(run.id, run);
      for (JobSlot slot : run.byKey.values()) {
        jobs.put(slot.id, slot);
        if (slot.state.isHeld() && slot.workerId != null) {
          run.taken(slot);
          held.computeIfAbsent(slot.workerId, w -> new LinkedHashSet<>()).add(slot);
        }
      }
      if (run.state == RunState.QUEUED) {
        run.state = run.state.to(RunState.RUNNING);
        run.startedAt = now;
        run.version++;
        changes.run(run);
      }
      settle(run, now, changes);
      finishIfDone(run, now, changes, null);
      store(changes);
    } finally {
      lock.unlock();
    }
  }

  /** Adds the jobs of tasks that were deferred until a split or subdivide ran. */
  boolean extend(long runId, List<JobRow> rows, Set<String> stillDeferred) {
    lock.lock();
    try {
      ActiveRun run = active.get(runId);
      if (run == null) {
        return false; // cancelled meanwhile
      }
      Instant now = clock.instant();
      Changes changes = new Changes();
      List<JobSlot> added = new ArrayList<>();
      for (JobRow row : rows) {
        if (!run.byKey.containsKey(row.key())) {
          JobSlot slot = run.add(row);
          jobs.put(slot.id, slot);
          added.add(slot);
        }
      }
      run.deferred.retainAll(stillDeferred);
      run.version++;
      changes.run(run);
      for (JobSlot slot : added) {
        linkNew(run, slot, now, changes);
      }
      run.replans--;
      finishIfDone(run, now, changes, null);
      store(changes);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * What planning a run's deferred tasks needs.
   *
   * @param pipeline the pipeline's name
   * @param version the definition version the run runs
   * @param definition that definition
   * @param request the run's request
   * @param deferred the tasks deferred until now
   * @param nextSeq the plan-order number of the first new job
   */
  record Replan(
      String pipeline,
      int version,
      org.pipewright.pipeline.PipelineDefinition definition,
      RunRequest request,
      List<String> deferred,
      int nextSeq) {}

  /**
   * What a pending plan of a run's deferred tasks needs; {@code null} when there is nothing to plan
   * any more (and the run may end). The run was marked as waiting when the split ended, in the same
   * step, so that it cannot end before its deferred tasks are planned.
   */
  @Nullable Replan startReplan(long runId) {
    lock.lock();
    try {
      ActiveRun run = active.get(runId);
      if (run == null) {
        return null;
      }
      if (run.failed && !run.request.keepGoing() || run.deferred.isEmpty()) {
        run.replans--;
        Changes changes = new Changes();
        finishIfDone(run, clock.instant(), changes, null);
        store(changes);
        return null;
      }
      int next = 0;
      for (JobSlot slot : run.byKey.values()) {
        next = Math.max(next, slot.seq + 1);
      }
      return new Replan(
          run.pipeline(),
          run.pipelineVersion,
          run.definition,
          run.request,
          List.copyOf(run.deferred),
          next);
    } finally {
      lock.unlock();
    }
  }

  /** A plan of deferred tasks that could not be made ends the run as failed. */
  void replanFailed(long runId, String why) {
    lock.lock();
    try {
      ActiveRun run = active.get(runId);
      if (run == null) {
        return;
      }
      run.replans--;
      run.failed = true;
      run.error = "planning the tasks after a split failed: " + why;
      Changes changes = new Changes();
      changes.run(run);
      finishIfDone(run, clock.instant(), changes, null);
      store(changes);
    } finally {
      lock.unlock();
    }
  }

  private void settle(ActiveRun run, Instant now, Changes changes) {
    for (JobSlot slot : run.byKey.values()) {
      if (!slot.state.isFinal()) {
        linkNew(run, slot, now, changes);
      }
    }
  }

  private void linkNew(ActiveRun run, JobSlot slot, Instant now, Changes changes) {
    boolean blocked = run.link(slot);
    if (slot.state == JobState.PENDING) {
      if (blocked) {
        slot.move(JobState.BLOCKED);
        slot.finishedAt = now;
        slot.error = "needs a job that failed";
        run.ended(slot);
        changes.job(slot);
      } else if (slot.waitingFor == 0) {
        rules.ready(slot, now, changes);
      }
    } else if (slot.state == JobState.QUEUED) {
      changes.readied.add(slot);
    }
  }

  /** Ends the run when no job is left, with {@code forced} or the state its jobs call for. */
  private void finishIfDone(
      ActiveRun run, Instant now, Changes changes, @Nullable RunState forced) {
    if (run.state.isFinal()) {
      return;
    }
    if (forced == null && (run.unfinished > 0 || run.replans > 0)) {
      return;
    }
    if (forced == null && run.failed && run.request.keepGoing() && run.unfinished > 0) {
      return;
    }
    RunState end = forced != null ? forced : run.failed ? RunState.FAILED : RunState.SUCCEEDED;
    run.state = run.state.to(end);
    run.finishedAt = now;
    run.version++;
    changes.run(run);
  }

  /**
   * Stores a step; on success queues what became ready and wakes waiting workers. When the write
   * fails the working copies of the runs it touched are thrown away and reread from the database.
   */
  private boolean store(Changes changes) {
    for (JobSlot slot : changes.jobs) {
      if (!slot.run.state.isFinal() && slot.state.isFinal()) {
        finishIfDone(slot.run, clock.instant(), changes, null);
      }
    }
    try {
      if (!changes.isEmpty()) {
        this.store.write(changes);
      }
    } catch (RuntimeException e) {
      log.error("Could not store a scheduler step; rereading the runs it touched", e);
      Set<ActiveRun> touched = new LinkedHashSet<>(changes.runs);
      changes.jobs.forEach(slot -> touched.add(slot.run));
      for (ActiveRun run : touched) {
        forget(run.id);
        needsReload.add(run.id);
      }
      return false;
    }
    changes.jobs.forEach(slot -> slot.storedVersion = slot.version);
    changes.runs.forEach(run -> run.storedVersion = run.version);
    boolean woke = false;
    for (JobSlot slot : changes.readied) {
      if (slot.state == JobState.QUEUED && active.containsKey(slot.run.id)) {
        slot.run.enqueue(slot);
        woke = true;
      }
    }
    for (ActiveRun run : changes.runs) {
      if (run.state.isFinal()) {
        forget(run.id);
        log.info("Run {} of {} ended {}", run.id, run.pipeline(), run.state);
      }
    }
    if (woke) {
      jobsReady.signalAll();
    }
    return true;
  }

  private void forget(long runId) {
    ActiveRun run = active.remove(runId);
    if (run == null) {
      return;
    }
    for (JobSlot slot : run.byKey.values()) {
      jobs.remove(slot.id);
      if (slot.workerId != null && held.containsKey(slot.workerId)) {
        held.get(slot.workerId).remove(slot);
      }
    }
  }

  /** Runs whose working copy was dropped after a failed write; the caller rereads them. */
  Set<Long> takeRunsToReload() {
    lock.lock();
    try {
      Set<Long> ids = new LinkedHashSet<>(needsReload);
      needsReload.clear();
      return ids;
    } finally {
      lock.unlock();
    }
  }

  /** Jobs per task and state of an active run, or null when the run is not active here. */
  @Nullable Map<String, Map<JobState, Integer>> counts(long runId) {
    lock.lock();
    try {
      ActiveRun run = active.get(runId);
      return run == null ? null : run.counts();
    } finally {
      lock.unlock();
    }
  }

  /** The states the scheduler holds for these jobs of an active run (newer than stored ones). */
  Map<Long, JobState> states(long runId, List<Long> ids) {
    lock.lock();
    try {
      Map<Long, JobState> states = new HashMap<>();
      if (active.containsKey(runId)) {
        for (long id : ids) {
          JobSlot slot = jobs.get(id);
          if (slot != null) {
            states.put(id, slot.state);
          }
        }
      }
      return states;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a run of this pipeline is in progress here. */
  boolean hasActiveRun(String pipeline) {
    lock.lock();
    try {
      return active.values().stream().anyMatch(run -> run.pipeline().equals(pipeline));
    } finally {
      lock.unlock();
    }
  }

  /** Jobs waiting for a worker and jobs held by workers, over all active runs. */
  public int[] queuedAndHeld() {
    lock.lock();
    try {
      int queued = 0;
      for (ActiveRun run : active.values()) {
        queued += run.readyCount;
      }
      int out = 0;
      for (Set<JobSlot> slots : held.values()) {
        out += slots.size();
      }
      return new int[] {queued, out};
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out jobs and wakes every waiting lease call, as the service stops. */
  public void stop() {
    lock.lock();
    try {
      stopped = true;
      jobsReady.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
