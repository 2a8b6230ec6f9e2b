package org.pipewright.worker.runtime;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What the worker holds: the attempts it leased and has not started, in order, and the one it runs.
 * The run loop takes from it, the heartbeat reports it and cancels in it, the watchdog and the stop
 * paths empty it. Once closed it takes no more jobs.
 */
final class Holdings {

  private final ArrayDeque<JobSpec> leased = new ArrayDeque<>();
  private volatile int queued; // leased.size(), for readers that must not take this lock
  private final LongSupplier wall;
  private final LongSupplier monotonic;
  private @Nullable Attempt running;
  private boolean closed;

  Holdings(LongSupplier wall, LongSupplier monotonic) {
    this.wall = wall;
    this.monotonic = monotonic;
  }

  /** Adds leased jobs; false (and nothing added) when the worker is closing. */
  synchronized boolean add(List<JobSpec> jobs) {
    if (closed) {
      return false;
    }
    leased.addAll(jobs);
    queued = leased.size();
    return true;
  }

  /** Starts the next leased attempt, or null when there is none or the worker is closing. */
  synchronized @Nullable Attempt startNext() {
    if (closed || leased.isEmpty()) {
      return null;
    }
    running = new Attempt(leased.poll(), wall.getAsLong(), monotonic);
    queued = leased.size();
    return running;
  }

  synchronized void finished(Attempt attempt) {
    if (running == attempt) {
      running = null;
    }
  }

  /**
   * The attempt ended: its completion goes to the outbox in the same step, under this lock, which
   * the heartbeat holds while it reads both. Done in two steps, a heartbeat written between them
   * would mention the attempt nowhere, and the control plane would take the lease back and run the
   * job a second time.
   *
   * @param report the completion to report, or null when none is worth reporting
   */
  synchronized void finished(Attempt attempt, @Nullable Completion report, Outbox outbox) {
    if (report != null) {
      outbox.add(report);
    }
    finished(attempt);
  }

  /**
   * Cancels an attempt: drops it when leased, kills it when running.
   *
   * @return whether this worker held it
   */
  synchronized boolean cancel(AttemptId id, String reason) {
    Iterator<JobSpec> it = leased.iterator();
    while (it.hasNext()) {
      if (it.next().id().equals(id)) {
        it.remove();
        queued = leased.size();
        return true;
      }
    }
    if (running != null && running.id().equals(id)) {
      running.cancel(reason);
      return true;
    }
    return false;
  }

  /**
   * Drops every leased attempt and cancels the running one (fencing, losing the control plane).
   *
   * @return the running attempt, to wait for, or null
   */
  synchronized @Nullable Attempt dropAll(String reason) {
    leased.clear();
    queued = 0;
    if (running != null) {
      running.cancel(reason);
    }
    return running;
  }

  /**
   * Takes no more jobs and drops the leased ones. The running attempt goes on unless {@code kill}.
   *
   * @return the running attempt, or null
   */
  synchronized @Nullable Attempt close(String reason, boolean kill) {
    closed = true;
    leased.clear();
    queued = 0;
    if (kill && running != null) {
      running.cancel(reason);
    }
    return running;
  }

  synchronized boolean closed() {
    return closed;
  }

  /**
   * Whether leased jobs wait to run, read without this lock (which the outbox's holder can't take).
   */
  boolean hasQueued() {
    return queued > 0;
  }

  synchronized int leasedCount() {
    return leased.size();
  }

  synchronized @Nullable Attempt running() {
    return running;
  }

  /** The heartbeat body: {@code {"running": [...], "leased": [...]}}. */
  void writeHeartbeat(JsonWriter w) {
    writeHeartbeat(w, List.of());
  }

  /**
   * The heartbeat body with {@code "reporting"}: attempts that ended and whose completion the
   * control plane has not acknowledged yet. They are still this worker's; without them a completion
   * that is slow to arrive would look like a lease the worker never heard of. The outbox is read
   * under this lock, so an attempt is always in one of the lists until its ack.
   */
  synchronized void writeHeartbeat(JsonWriter w, Outbox outbox) {
    writeHeartbeat(w, outbox.unacknowledged());
  }

  private synchronized void writeHeartbeat(JsonWriter w, List<AttemptId> reporting) {
    // A job that ended by itself and is still storing its log is reported, not running: a fence
    // that cancels it after that must not make its lease look unknown to the control plane.
    if (running != null && running.ranToEnd()) {
      reporting = new java.util.ArrayList<>(reporting);
      reporting.add(running.id());
    }
    w.beginObject().name("running").beginArray();
    if (running != null && !running.cancelled() && !running.ranToEnd()) {
      w.beginObject();
      running.id().writeTo(w);
      w.name("startedAt").value(running.startedAt).endObject();
    }
    w.endArray().name("leased").beginArray();
    for (JobSpec spec : leased) {
      w.beginObject();
      spec.id().writeTo(w);
      w.endObject();
    }
    w.endArray();
    if (!reporting.isEmpty()) {
      w.name("reporting").beginArray();
      for (AttemptId id : reporting) {
        w.beginObject();
        id.writeTo(w);
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }
}
