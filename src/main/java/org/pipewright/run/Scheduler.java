package org.pipewright.run;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.pipewright.Tokens;
import org.pipewright.pipeline.Resources;
import org.pipewright.plan.PathEscapesWorkspaceException;
import org.pipewright.plan.WorkspaceUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the jobs of active runs to workers and takes their results: Ruffus's task loop, for a pool
 * of worker processes that pull: leases, completions, heartbeats, lost workers. It works on the
 * {@link WorkingSet} it shares with the {@link RunBook}; every step is stored in one transaction
 * before its answer leaves (a worker never starts a job whose lease is not stored), so a control
 * plane that restarts carries on from the database.
 */
public class Scheduler {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final WorkingSet ws;
  private final RunBook book;
  private final CompletionRecorder recorder;
  private final RunProperties properties;
  private Consumer<ActiveRun> onTaskSucceeded = run -> {};
  private int rotation;
  private boolean stopped;

  Scheduler(RunStore store, CompletionRecorder recorder, Clock clock, RunProperties properties) {
    this.ws = new WorkingSet(store, new Transitions(properties.maxLostAttempts(), recorder), clock);
    this.book = new RunBook(ws);
    this.recorder = recorder;
    this.properties = properties;
  }

  /** The runs' side of the same working set. */
  RunBook book() {
    return book;
  }

  /** Called (outside the lock) when a split or subdivide of a run with deferred tasks is done. */
  void onGlobTaskDone(Consumer<ActiveRun> listener) {
    this.onTaskSucceeded = listener;
  }

  /** What a worker that reports no limits has: it may take any job. */
  static final Resources ANY = new Resources(Integer.MAX_VALUE, Long.MAX_VALUE);

  /** {@link #lease(long, int, long, Resources)} for a worker that may take any job. */
  public List<Assignment> lease(long workerId, int max, long waitMillis) {
    return lease(workerId, max, waitMillis, ANY);
  }

  /**
   * Takes up to {@code max} jobs for a worker, waiting up to {@code waitMillis} for one. The worker
   * gets a fair share of what is ready, so one worker never hoards a queue the others could run,
   * and only jobs whose task asks for no more than the worker {@code has}.
   */
  public List<Assignment> lease(long workerId, int max, long waitMillis, Resources has) {
    return lease(workerId, max, waitMillis, has, () -> false);
  }

  /**
   * {@link #lease(long, int, long, Resources)}, giving up the wait as soon as {@code leave} is true
   * after a {@link #wakeWaiting}: a worker told to leave gets its answer without waiting its poll
   * out.
   */
  public List<Assignment> lease(
      long workerId, int max, long waitMillis, Resources has, BooleanSupplier leave) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    ws.lock.lock();
    try {
      while (true) {
        ws.lastSeen.put(workerId, System.nanoTime());
        if (stopped || leave.getAsBoolean()) {
          return List.of();
        }
        List<JobSlot> picked = pick(Math.max(1, max), has);
        if (!picked.isEmpty()) {
          return assign(workerId, picked);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return List.of();
        }
        ws.jobsReady.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } finally {
      ws.lock.unlock();
    }
  }

  private List<JobSlot> pick(int max, Resources has) {
    int ready = 0;
    for (ActiveRun run : ws.active.values()) {
      ready += run.readyCount;
    }
    if (ready == 0) {
      return List.of();
    }
    int share = Math.min(max, Math.max(1, ready / Math.max(1, liveWorkers())));
    List<ActiveRun> runs = new ArrayList<>(ws.active.values());
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
        JobSlot slot = run.poll(has);
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
    ws.lastSeen.values().removeIf(seen -> seen < since);
    return ws.lastSeen.size();
  }

  /** Who hears of every job that ends: the metrics. */
  public void observe(RunObserver observer) {
    ws.observer = observer;
  }

  /**
   * The attempt an attempt token belongs to, while that attempt holds its lease: a job may call the
   * shared log and locks with it (a shell job gets it as {@code PIPEWRIGHT_TOKEN}).
   *
   * @return the holder, or empty for any other token
   */
  public Optional<AttemptHolder> attemptHolder(String token) {
    int dot = token.indexOf('.');
    long jobId;
    try {
      jobId = dot > 0 ? Long.parseLong(token.substring(0, dot)) : -1;
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // Hashed before the lock: every worker's call waits for it.
    String hash = Tokens.hash(token);
    ws.lock.lock();
    try {
      JobSlot slot = ws.jobs.get(jobId);
      if (slot == null
          || !slot.state.isHeld()
          || slot.workerId == null
          || slot.tokenHash == null
          || !Tokens.sameHash(hash, slot.tokenHash)) {
        return Optional.empty();
      }
      return Optional.of(new AttemptHolder(slot.workerId, slot.run.id, slot.id, slot.attempt));
    } finally {
      ws.lock.unlock();
    }
  }

  /** Who holds an attempt: its worker, the run and job it belongs to, and which attempt it is. */
  public record AttemptHolder(long workerId, long runId, long jobId, int attempt) {}

  private List<Assignment> assign(long workerId, List<JobSlot> picked) {
    Changes changes = new Changes();
    List<Assignment> assignments = assign(workerId, picked, ws.clock.instant(), changes);
    if (!ws.store(changes)) {
      return List.of();
    }
    return assignments;
  }

  /** Leases the picked jobs to the worker in {@code changes}, which the caller stores. */
  private List<Assignment> assign(
      long workerId, List<JobSlot> picked, Instant now, Changes changes) {
    List<Assignment> assignments = new ArrayList<>(picked.size());
    for (JobSlot slot : picked) {
      // The job id in front lets a job's own calls (a shell job's curl) be checked without a scan.
      String token = slot.id + "." + Tokens.generate();
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
      ws.held.computeIfAbsent(workerId, w -> new LinkedHashSet<>()).add(slot);
      assignments.add(recorder.assignment(slot, token));
    }
    return assignments;
  }

  /** Takes the results of finished attempts; each gets an answer, in order. */
  public List<Ack> complete(long workerId, List<Completion> completions) {
    return completeAndLease(workerId, completions, 0, ANY, () -> true).acks();
  }

  /**
   * Takes the results of finished attempts, then leases what there is for the worker at once (the
   * jobs these results made ready, say): one step and one write, so the job that follows a finished
   * one waits for one commit, not two. It never waits for work: the caller, once it has acted on
   * the answers, waits with {@link #lease(long, int, long, Resources, BooleanSupplier)}.
   *
   * @param max the most jobs to lease; 0 for none
   */
  public Leased completeAndLease(
      long workerId, List<Completion> completions, int max, Resources has, BooleanSupplier leave) {
    List<ActiveRun> globTasksDone = new ArrayList<>();
    List<Ack> acks = new ArrayList<>(completions.size());
    List<Assignment> jobs = List.of();
    ws.lock.lock();
    try {
      ws.lastSeen.put(workerId, System.nanoTime());
      Instant now = ws.clock.instant();
      Changes changes = new Changes();
      for (Completion done : completions) {
        Ack ack = completeOne(workerId, done, now, changes, globTasksDone);
        if (ack != null) {
          acks.add(ack);
        }
      }
      if (max > 0 && !stopped && !leave.getAsBoolean()) {
        ws.queueNow(changes);
        jobs = leaseWith(workerId, max, has, now, changes);
      }
      if (!ws.store(changes)) {
        // No answer: the worker sends them again, to the run reread from the database.
        acks.clear();
        jobs = List.of();
        globTasksDone.clear();
      }
    } finally {
      ws.lock.unlock();
    }
    globTasksDone.forEach(onTaskSucceeded);
    return new Leased(acks, jobs);
  }

  /**
   * Leases jobs into the step that took results. A lease that fails (its job's outputs cannot be
   * read, say) leaves the results to be stored on their own: they are acknowledged already in the
   * working set, and a worker resending them would hear "already stored" of what never was.
   */
  private List<Assignment> leaseWith(
      long workerId, int max, Resources has, Instant now, Changes changes) {
    Changes leasing = new Changes();
    try {
      List<Assignment> jobs = assign(workerId, pick(max, has), now, leasing);
      changes.add(leasing);
      return jobs;
    } catch (RuntimeException e) {
      log.warn(
          "Could not lease jobs to worker {} with its results; stored them alone", workerId, e);
      return List.of();
    }
  }

  /** What a lease call that brought results gets: an answer to each, and its jobs. */
  public record Leased(List<Ack> acks, List<Assignment> jobs) {}

  /**
   * One completion; null for no answer yet, so the worker sends it again: its run is being reread
   * after a failed write, and refusing it now would throw away a job that ran.
   */
  private @Nullable Ack completeOne(
      long workerId, Completion done, Instant now, Changes changes, List<ActiveRun> globDone) {
    JobSlot slot = ws.jobs.get(done.jobId());
    if (slot == null && rereading()) {
      return null;
    }
    if (slot == null || !slot.heldBy(workerId, done.attempt())) {
      if (slot != null && slot.reportedAttempt == done.attempt()
          || slot == null && ws.store.attemptFinished(done.jobId(), done.attempt())) {
        return new Ack(done.jobId(), done.attempt(), true, "already stored");
      }
      return refuse(
          done,
          "attempt " + done.attempt() + " of job " + done.jobId() + " no longer holds its lease");
    }
    if (slot.tokenHash == null || !Tokens.matches(done.token(), slot.tokenHash)) {
      return refuse(done, "wrong attempt token");
    }
    ws.held.getOrDefault(workerId, Set.of()).remove(slot);
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
        String unrecorded = recordOutputs(slot, changes);
        if (unrecorded != null) {
          ws.rules.fail(slot, done.exitCode(), unrecorded, now, changes);
          return new Ack(done.jobId(), done.attempt(), true, null);
        }
        slot.error = null;
        ws.rules.succeed(slot, now, changes);
        String kind = slot.run.tasks.get(slot.task).kind();
        if ((kind.equals("split") || kind.equals("subdivide"))
            && !slot.run.deferred.isEmpty()
            && slot.run.taskSucceeded(slot.task)) {
          slot.run.replans++; // the run waits for the plan of what follows the split
          globDone.add(slot.run);
        }
      }
      case FAILED ->
          ws.rules.fail(
              slot, done.exitCode(), done.error() == null ? "failed" : done.error(), now, changes);
      case CANCELLED, LOST ->
          ws.rules.lose(
              slot, done.error() == null ? "the worker gave it up" : done.error(), now, changes);
    }
    return new Ack(done.jobId(), done.attempt(), true, null);
  }

  /**
   * Records what a job that succeeded made; null when done. A split's outputs are what its globs
   * match on disk, and a match that leads out of the workspace, or a folder that cannot be read,
   * makes the job fail with the reason: thrown, it would leave this step's results applied in
   * memory but never stored, and a resend would be answered as if they were.
   *
   * @return why the outputs could not be recorded, or null
   */
  private @Nullable String recordOutputs(JobSlot slot, Changes changes) {
    try {
      recorder.recordOutputs(slot, changes);
      return null;
    } catch (PathEscapesWorkspaceException | WorkspaceUnreadableException e) {
      return "its outputs could not be recorded: " + e.getMessage();
    }
  }

  /**
   * Whether runs dropped after a failed write wait to be reread: until they are, a job this control
   * plane does not know may be one of theirs, and is neither refused nor cancelled.
   */
  private boolean rereading() {
    return !ws.needsReload.isEmpty();
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
    ws.lock.lock();
    try {
      ws.lastSeen.put(workerId, System.nanoTime());
      Instant now = ws.clock.instant();
      Changes changes = new Changes();
      List<AttemptRef> cancel = new ArrayList<>();
      Set<JobSlot> mentioned = new LinkedHashSet<>();
      for (AttemptRef ref : running) {
        JobSlot slot = ws.jobs.get(ref.jobId());
        if (slot == null && rereading()) {
          continue; // its run may be one being reread: decided at the next heartbeat
        }
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
        JobSlot slot = ws.jobs.get(ref.jobId());
        if (slot == null && rereading()) {
          continue;
        }
        if (slot == null || !slot.heldBy(workerId, ref.attempt())) {
          cancel.add(ref);
        } else {
          mentioned.add(slot);
        }
      }
      for (AttemptRef ref : reporting) {
        JobSlot slot = ws.jobs.get(ref.jobId());
        if (slot != null && slot.heldBy(workerId, ref.attempt())) {
          mentioned.add(slot);
        }
      }
      // A lease whose answer never reached the worker: take it back after a grace period.
      Instant graceStart = now.minus(properties.unreportedGrace());
      for (JobSlot slot : List.copyOf(ws.held.getOrDefault(workerId, Set.of()))) {
        if (!mentioned.contains(slot)
            && slot.leasedAt != null
            && slot.leasedAt.isBefore(graceStart)) {
          ws.held.get(workerId).remove(slot);
          ws.rules.lose(slot, "worker " + workerId + " never acknowledged the lease", now, changes);
        }
      }
      ws.store(changes);
      return cancel;
    } finally {
      ws.lock.unlock();
    }
  }

  /** The worker is gone (stopped heartbeating or died): its attempts are lost and tried again. */
  public void workerLost(long workerId, String why) {
    ws.lock.lock();
    try {
      ws.lastSeen.remove(workerId);
      Set<JobSlot> slots = ws.held.remove(workerId);
      if (slots == null || slots.isEmpty()) {
        return;
      }
      Instant now = ws.clock.instant();
      Changes changes = new Changes();
      for (JobSlot slot : slots) {
        if (slot.heldBy(workerId, slot.attempt)) {
          ws.rules.lose(slot, why, now, changes);
        }
      }
      ws.store(changes);
    } finally {
      ws.lock.unlock();
    }
  }

  /** Declares lost the attempts of every worker that is not {@code alive}, as a restart begins. */
  public void loseUnless(java.util.function.LongPredicate alive, String why) {
    List<Long> gone = new ArrayList<>();
    ws.lock.lock();
    try {
      for (Long worker : ws.held.keySet()) {
        if (!alive.test(worker)) {
          gone.add(worker);
        }
      }
    } finally {
      ws.lock.unlock();
    }
    gone.forEach(worker -> workerLost(worker, why));
  }

  /**
   * Fails for good the ready jobs that ask for resources no worker will ever have, so that a run
   * does not wait for ever; what needs them is blocked.
   *
   * @param runnable whether a worker that has, or will have, at least these resources exists
   * @param why the error of a job that asks for these resources
   */
  public void failUnrunnable(Predicate<Resources> runnable, Function<Resources, String> why) {
    ws.lock.lock();
    try {
      Instant now = null;
      Changes changes = new Changes();
      for (ActiveRun run : List.copyOf(ws.active.values())) {
        for (JobSlot slot : run.takeUnrunnable(runnable)) {
          if (slot.state == JobState.QUEUED) { // not cancelled meanwhile by the failure of another
            now = now == null ? ws.clock.instant() : now;
            ws.rules.unrunnable(slot, why.apply(run.needs(slot)), now, changes);
          }
        }
      }
      ws.store(changes);
    } finally {
      ws.lock.unlock();
    }
  }

  /** Wakes every waiting lease call, to ask whether its worker should leave. */
  public void wakeWaiting() {
    ws.lock.lock();
    try {
      ws.jobsReady.signalAll();
    } finally {
      ws.lock.unlock();
    }
  }

  /** Whether the worker holds a job now: a busy worker is the last to leave a shrinking pool. */
  public boolean holdsJobs(long workerId) {
    ws.lock.lock();
    try {
      Set<JobSlot> slots = ws.held.get(workerId);
      return slots != null && !slots.isEmpty();
    } finally {
      ws.lock.unlock();
    }
  }

  /** Stops handing out jobs and wakes every waiting lease call, as the service stops. */
  public void stop() {
    ws.lock.lock();
    try {
      stopped = true;
      ws.jobsReady.signalAll();
    } finally {
      ws.lock.unlock();
    }
  }
}
