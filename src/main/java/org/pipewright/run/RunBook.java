package org.pipewright.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The runs' side of the working set: taking a stored run in, adding the jobs planned after a split,
 * cancelling, and what the run API reads from memory while a run is active.
 */
final class RunBook {

  private final WorkingSet ws;

  RunBook(WorkingSet ws) {
    this.ws = ws;
  }

  /**
   * Cancels a run: jobs not started never will be, and the workers of running ones are told to kill
   * them at their next heartbeat. Returns {@code false} when the run is not active here.
   */
  boolean cancel(long runId, String why) {
    ws.lock.lock();
    try {
      ActiveRun run = ws.active.get(runId);
      if (run == null) {
        return false;
      }
      Instant now = ws.clock.instant();
      Changes changes = new Changes();
      for (JobSlot slot : run.slots()) {
        if (!slot.state.isFinal()) {
          if (slot.workerId != null) {
            ws.held.getOrDefault(slot.workerId, Set.of()).remove(slot);
          }
          ws.rules.cancel(slot, why, now, changes);
        }
      }
      run.error = why;
      ws.finishIfDone(run, now, changes, RunState.CANCELLED);
      ws.store(changes);
      return true;
    } finally {
      ws.lock.unlock();
    }
  }

  /**
   * Takes a stored run into the working set: a new one, one found unfinished at start-up, or one
   * reread after a failed write. Jobs whose dependencies are done are queued; held jobs stay with
   * their workers (who may still be alive and will be heard from, or are declared lost).
   */
  void admit(RunRow row, List<JobRow> rows, RunBuilder builder) {
    ws.lock.lock();
    try {
      Instant now = ws.clock.instant();
      Changes changes = new Changes();
      ActiveRun run = builder.build(row, rows);
      ws.needsReload.remove(run.id);
      if (ws.active.containsKey(run.id)) {
        return;
      }
      ws.active.put(run.id, run);
      for (JobSlot slot : run.byKey.values()) {
        ws.jobs.put(slot.id, slot);
        if (slot.state.isHeld() && slot.workerId != null) {
          run.taken(slot);
          ws.held.computeIfAbsent(slot.workerId, w -> new LinkedHashSet<>()).add(slot);
        }
      }
      if (run.state == RunState.QUEUED) {
        run.state = run.state.to(RunState.RUNNING);
        run.startedAt = now;
        run.version++;
        changes.run(run);
      }
      ws.settle(run, now, changes);
      ws.finishIfDone(run, now, changes, null);
      if (ws.store(changes)) {
        ws.show(run);
      }
    } finally {
      ws.lock.unlock();
    }
  }

  /** Adds the jobs of tasks that were deferred until a split or subdivide ran. */
  boolean extend(long runId, List<JobRow> rows, Set<String> stillDeferred) {
    ws.lock.lock();
    try {
      ActiveRun run = ws.active.get(runId);
      if (run == null) {
        return false; // cancelled meanwhile
      }
      Instant now = ws.clock.instant();
      Changes changes = new Changes();
      List<JobSlot> added = new ArrayList<>();
      for (JobRow row : rows) {
        if (!run.byKey.containsKey(row.key())) {
          JobSlot slot = run.add(row);
          ws.jobs.put(slot.id, slot);
          added.add(slot);
        }
      }
      run.deferred.retainAll(stillDeferred);
      run.version++;
      changes.run(run);
      for (JobSlot slot : added) {
        ws.linkNew(run, slot, now, changes);
      }
      run.replans--;
      ws.finishIfDone(run, now, changes, null);
      if (ws.store(changes)) {
        ws.show(run);
      }
      return true;
    } finally {
      ws.lock.unlock();
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
    ws.lock.lock();
    try {
      ActiveRun run = ws.active.get(runId);
      if (run == null) {
        return null;
      }
      if (run.failed && !run.request.keepGoing() || run.deferred.isEmpty()) {
        run.replans--;
        Changes changes = new Changes();
        ws.finishIfDone(run, ws.clock.instant(), changes, null);
        ws.store(changes);
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
      ws.lock.unlock();
    }
  }

  /** A plan of deferred tasks that could not be made ends the run as failed. */
  void replanFailed(long runId, String why) {
    ws.lock.lock();
    try {
      ActiveRun run = ws.active.get(runId);
      if (run == null) {
        return;
      }
      run.replans--;
      run.failed = true;
      run.error = "planning the tasks after a split failed: " + why;
      Changes changes = new Changes();
      changes.run(run);
      ws.finishIfDone(run, ws.clock.instant(), changes, null);
      ws.store(changes);
    } finally {
      ws.lock.unlock();
    }
  }

  /** Runs whose working copy was dropped after a failed write; the caller rereads them. */
  /**
   * The runs dropped after a failed write, to be reread. Each stays listed until it is taken in
   * again ({@link #admit}) or found to need nothing more ({@link #reloaded}): while it is, the
   * scheduler neither refuses nor cancels the jobs it does not know.
   */
  Set<Long> runsToReload() {
    ws.lock.lock();
    try {
      return new LinkedHashSet<>(ws.needsReload);
    } finally {
      ws.lock.unlock();
    }
  }

  /** Asks for a run of this control plane's to be read again: taking it in failed just now. */
  void reloadLater(long runId) {
    ws.lock.lock();
    try {
      ws.needsReload.add(runId);
    } finally {
      ws.lock.unlock();
    }
  }

  /** A run that needed rereading is over, or owned by another control plane now. */
  void reloaded(long runId) {
    ws.lock.lock();
    try {
      ws.needsReload.remove(runId);
    } finally {
      ws.lock.unlock();
    }
  }

  /** Every active run with its jobs per task and state, for the metrics; takes no lock. */
  List<ActiveRunCounts> activeCounts() {
    List<ActiveRunCounts> active = new ArrayList<>(ws.shown.size());
    for (ShownRun run : ws.shown.values()) {
      active.add(new ActiveRunCounts(run.id, run.pipeline, run.counts()));
    }
    active.sort(Comparator.comparingLong(ActiveRunCounts::runId));
    return active;
  }

  /**
   * Jobs per task and state of an active run as last stored, or null when the run is not active
   * here; takes no lock.
   */
  @Nullable Map<String, Map<JobState, Integer>> counts(long runId) {
    ShownRun run = ws.shown.get(runId);
    return run == null ? null : run.counts();
  }

  /**
   * A page of an active run's jobs chosen by the states readers see (a ready job is QUEUED here but
   * PENDING in the database), or null when the run is not active here; takes no lock.
   */
  ShownRun.@Nullable Page page(
      long runId, @Nullable String task, @Nullable JobState state, int offset, int limit) {
    ShownRun run = ws.shown.get(runId);
    return run == null ? null : run.page(task, state, offset, limit);
  }

  /** Runs in progress here. */
  int activeCount() {
    ws.lock.lock();
    try {
      return ws.active.size();
    } finally {
      ws.lock.unlock();
    }
  }

  /** Whether this run is scheduled here now. */
  boolean isActive(long runId) {
    ws.lock.lock();
    try {
      return ws.active.containsKey(runId);
    } finally {
      ws.lock.unlock();
    }
  }

  /** Whether a run of this pipeline is in progress here. */
  boolean hasActiveRun(String pipeline) {
    ws.lock.lock();
    try {
      return ws.active.values().stream().anyMatch(run -> run.pipeline().equals(pipeline));
    } finally {
      ws.lock.unlock();
    }
  }
}
