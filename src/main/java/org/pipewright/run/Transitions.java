package org.pipewright.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a run, applied to the scheduler's working copy: what follows when a job ends, fails,
 * is lost or cancelled. Each method records what it changed in a {@link Changes}; nothing here
 * stores or waits.
 */
final class Transitions {

  private final int maxLostAttempts;
  private final CompletionRecorder recorder;

  Transitions(int maxLostAttempts, CompletionRecorder recorder) {
    this.maxLostAttempts = maxLostAttempts;
    this.recorder = recorder;
  }

  /** A job whose dependencies are done becomes ready; one with nothing to run ends at once. */
  void ready(JobSlot slot, Instant now, Changes changes) {
    slot.move(JobState.QUEUED);
    slot.queuedAt = now;
    // Not written on its own: a stored PENDING job whose dependencies are done is queued again
    // when a run is reread, and the next write of the job (its lease) carries the change.
    if (slot.spec.kind().equals("none")) {
      // A task without an action only orders others: there is nothing to send to a worker.
      slot.move(JobState.LEASED);
      slot.attempt++;
      slot.leasedAt = now;
      slot.run.taken(slot); // as if a worker had polled it, so that ending it balances
      recorder.recordOutputs(slot, changes); // its outputs count as made, as after a no-op job
      succeed(slot, now, changes);
      return;
    }
    changes.readied.add(slot);
  }

  void succeed(JobSlot slot, Instant now, Changes changes) {
    slot.move(JobState.SUCCEEDED);
    slot.finishedAt = now;
    slot.error = null;
    end(slot, AttemptOutcome.SUCCEEDED, now, changes);
    for (JobSlot next : slot.dependents) {
      if (next.state == JobState.PENDING && --next.waitingFor == 0) {
        ready(next, now, changes);
      }
    }
  }

  /** An attempt failed: the job is tried again while it has retries left, else it fails. */
  void fail(JobSlot slot, @Nullable Integer exitCode, String error, Instant now, Changes changes) {
    slot.exitCode = exitCode;
    slot.error = error;
    if (slot.attempt <= slot.retries) {
      changes.attempts.add(slot.attemptRow(AttemptOutcome.FAILED, now));
      slot.run.release(slot);
      requeue(slot, now, changes);
      return;
    }
    slot.move(JobState.FAILED);
    slot.finishedAt = now;
    end(slot, AttemptOutcome.FAILED, now, changes);
    failRun(slot, now, changes);
  }

  /**
   * A queued job that no worker could ever take (it asks for more than any has): it fails for good
   * without an attempt, rather than waiting for ever.
   */
  void unrunnable(JobSlot slot, String why, Instant now, Changes changes) {
    slot.move(JobState.FAILED);
    slot.finishedAt = now;
    slot.error = why;
    slot.run.ended(slot);
    changes.job(slot);
    changes.ended.add(
        new Changes.Ended(slot.run.definition.name(), slot.task, JobState.FAILED, null));
    failRun(slot, now, changes);
  }

  /** The attempt's worker is gone: tried again elsewhere, unless it keeps losing workers. */
  void lose(JobSlot slot, String why, Instant now, Changes changes) {
    slot.lost++;
    slot.error = why;
    if (slot.lost < maxLostAttempts) {
      changes.attempts.add(slot.attemptRow(AttemptOutcome.LOST, now));
      slot.run.release(slot);
      requeue(slot, now, changes);
      return;
    }
    slot.error = why + "; lost " + slot.lost + " times, not tried again";
    slot.move(JobState.FAILED);
    slot.finishedAt = now;
    end(slot, AttemptOutcome.LOST, now, changes);
    failRun(slot, now, changes);
  }

  /** Cancels a job that has not ended; a held one's worker learns it at its next heartbeat. */
  void cancel(JobSlot slot, String why, Instant now, Changes changes) {
    boolean held = slot.state.isHeld();
    if (slot.state == JobState.QUEUED) {
      slot.run.unqueue(slot);
    }
    slot.move(JobState.CANCELLED);
    slot.finishedAt = now;
    slot.error = why;
    if (held) {
      end(slot, AttemptOutcome.CANCELLED, now, changes);
    } else {
      slot.run.ended(slot);
      changes.job(slot);
    }
  }

  private void requeue(JobSlot slot, Instant now, Changes changes) {
    slot.move(JobState.QUEUED);
    slot.workerId = null;
    slot.tokenHash = null;
    slot.queuedAt = now;
    slot.retried = true;
    changes.job(slot);
    changes.readied.add(slot);
  }

  /** Bookkeeping when a held job reaches a final state. */
  private void end(JobSlot slot, AttemptOutcome outcome, Instant now, Changes changes) {
    if (outcome != AttemptOutcome.SUCCEEDED) {
      // A successful attempt is the job row itself; only the others need a row of their own.
      changes.attempts.add(slot.attemptRow(outcome, now));
    }
    slot.run.release(slot);
    slot.run.ended(slot);
    changes.job(slot);
    Long took = slot.startedAt == null ? null : Duration.between(slot.startedAt, now).toNanos();
    changes.ended.add(new Changes.Ended(slot.run.definition.name(), slot.task, slot.state, took));
  }

  /**
   * A job failed for good: everything that needs it is blocked, and without {@code keepGoing}
   * nothing new starts (jobs already running finish).
   */
  private void failRun(JobSlot failed, Instant now, Changes changes) {
    ActiveRun run = failed.run;
    run.failed = true;
    if (run.error == null) {
      run.error = "job " + failed.key + " failed: " + failed.error;
      changes.run(run);
    }
    Deque<JobSlot> todo = new ArrayDeque<>(failed.dependents);
    while (!todo.isEmpty()) {
      JobSlot next = todo.pop();
      if (next.state == JobState.PENDING) {
        next.move(JobState.BLOCKED);
        next.finishedAt = now;
        next.error = "needs " + failed.key + ", which failed";
        run.ended(next);
        changes.job(next);
        todo.addAll(next.dependents);
      }
    }
    if (!run.request.keepGoing()) {
      for (JobSlot slot : run.slots()) {
        if (slot.state == JobState.PENDING || slot.state == JobState.QUEUED) {
          cancel(slot, "not started: " + run.error, now, changes);
        }
      }
    }
  }
}
