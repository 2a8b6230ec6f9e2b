package org.pipewright.run;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working copy of every active run, shared by the {@link Scheduler} (the workers' side) and the
 * {@link RunBook} (the runs' side), under one lock. Every step is stored in one transaction before
 * its effect is visible: queued jobs reach workers, ended runs leave the set.
 */
final class WorkingSet {

  private static final Logger log = LoggerFactory.getLogger(WorkingSet.class);

  final ReentrantLock lock = new ReentrantLock();
  final Condition jobsReady = lock.newCondition();
  final Map<Long, ActiveRun> active = new LinkedHashMap<>();

  /** The active runs as readers see them; the one part read without the lock. */
  final Map<Long, ShownRun> shown = new ConcurrentHashMap<>();

  final Map<Long, JobSlot> jobs = new HashMap<>();
  final Map<Long, Set<JobSlot>> held = new HashMap<>();
  final Map<Long, Long> lastSeen = new HashMap<>();
  final Set<Long> needsReload = new LinkedHashSet<>();
  final RunStore store;
  volatile RunObserver observer = (pipeline, task, outcome, tookNanos) -> {};
  final Transitions rules;
  final Clock clock;

  WorkingSet(RunStore store, Transitions rules, Clock clock) {
    this.store = store;
    this.rules = rules;
    this.clock = clock;
  }

  void settle(ActiveRun run, Instant now, Changes changes) {
    for (JobSlot slot : run.byKey.values()) {
      if (!slot.state.isFinal()) {
        linkNew(run, slot, now, changes);
      }
    }
  }

  void linkNew(ActiveRun run, JobSlot slot, Instant now, Changes changes) {
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
  void finishIfDone(ActiveRun run, Instant now, Changes changes, @Nullable RunState forced) {
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
  boolean store(Changes changes) {
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
    Set<ActiveRun> shownChanged = new LinkedHashSet<>(changes.runs);
    for (JobSlot slot : changes.jobs) {
      slot.shown = slot.state;
      shownChanged.add(slot.run);
    }
    for (JobSlot slot : changes.readied) {
      slot.shown = slot.state;
      shownChanged.add(slot.run);
    }
    shownChanged.forEach(run -> run.shown.showCounts(run.counts()));
    // Only what is stored is counted: a step that failed is done again after the reread.
    for (Changes.Ended ended : changes.ended) {
      observer.jobEnded(ended.pipeline(), ended.task(), ended.outcome(), ended.tookNanos());
    }
    boolean woke = false;
    for (JobSlot slot : changes.readied) {
      if (slot.state == JobState.QUEUED && active.containsKey(slot.run.id)) {
        if (!changes.queuedEarly) {
          slot.run.enqueue(slot);
        }
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

  /**
   * Queues the jobs a step made ready before the step is stored, so that the step itself can hand
   * them out: a lease call that brings the result of a job and takes the job after it writes once.
   * Nobody else sees the queues while the lock is held, and a step that cannot be stored drops the
   * runs it touched, these queues with them, to be reread.
   */
  void queueNow(Changes changes) {
    for (JobSlot slot : changes.readied) {
      if (slot.state == JobState.QUEUED && active.containsKey(slot.run.id)) {
        slot.run.enqueue(slot);
      }
    }
    changes.queuedEarly = true;
  }

  /** Shows a run that was taken in or got new jobs, once the step that did it is stored. */
  void show(ActiveRun run) {
    if (active.get(run.id) == run) {
      run.shown.showSlots(run.byKey.values());
      run.shown.showCounts(run.counts());
      shown.put(run.id, run.shown);
    }
  }

  void forget(long runId) {
    shown.remove(runId);
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
}
