package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Completions the control plane has not acknowledged. A completion is either pending (free to send)
 * or in flight (in a call whose answer has not come); the reporter and the lease call both take
 * pending ones, so a completion rides in whichever call leaves first. An ack ends it, whether
 * accepted or not; a failed call makes its completions pending again.
 */
final class Outbox {

  private final LinkedHashMap<AttemptId, Completion> pending = new LinkedHashMap<>();
  private final HashMap<AttemptId, Completion> inFlight = new HashMap<>();

  synchronized void add(Completion completion) {
    pending.put(completion.id(), completion);
    notifyAll();
  }

  /** Takes up to {@code max} pending completions, waiting until there is one. */
  synchronized List<Completion> take(int max) throws InterruptedException {
    while (pending.isEmpty()) {
      wait();
    }
    return takeNow(max);
  }

  /**
   * Takes up to {@code max} pending completions, waiting until there is one and then for more: at
   * most {@code lingerNanos}, or {@code holdNanos} while {@code busy} says the worker still has
   * leased jobs queued. Quick jobs finish many to a call, one transaction each on the control
   * plane. While its batch lasts the worker is busy anyway, so holding its results a little longer
   * delays only jobs that wait on them; its last results leave with its next lease call at once.
   *
   * @param busy read under this outbox's lock: it must not take a lock of its own
   * @return possibly none, when a lease call took them meanwhile
   */
  synchronized List<Completion> take(
      int max, long lingerNanos, long holdNanos, BooleanSupplier busy) throws InterruptedException {
    while (pending.isEmpty()) {
      wait();
    }
    long first = System.nanoTime();
    while (pending.size() < max) {
      long left = first + (busy.getAsBoolean() ? holdNanos : lingerNanos) - System.nanoTime();
      if (left <= 0) {
        break;
      }
      long step = Math.min(left, lingerNanos);
      wait(step / 1_000_000, (int) (step % 1_000_000));
    }
    return takeNow(max);
  }

  /** Takes up to {@code max} pending completions without waiting; possibly none. */
  synchronized List<Completion> takeNow(int max) {
    if (pending.isEmpty()) {
      return List.of();
    }
    List<Completion> taken = new ArrayList<>(Math.min(max, pending.size()));
    Iterator<Completion> it = pending.values().iterator();
    while (it.hasNext() && taken.size() < max) {
      Completion completion = it.next();
      it.remove();
      inFlight.put(completion.id(), completion);
      taken.add(completion);
    }
    return taken;
  }

  /**
   * Settles a call's answer: acknowledged completions are done; any the answer did not mention go
   * back to pending.
   *
   * @return how many of the sent completions got no ack
   */
  synchronized int settle(List<Completion> sent, List<Ack> acks) {
    Map<AttemptId, Ack> byId = new HashMap<>();
    for (Ack ack : acks) {
      byId.put(ack.id(), ack);
    }
    int unanswered = 0;
    for (Completion completion : sent) {
      inFlight.remove(completion.id());
      Ack ack = byId.get(completion.id());
      if (ack == null) {
        unanswered++;
        pending.putIfAbsent(completion.id(), completion);
      } else if (!ack.accepted()) {
        WorkerLog.warn(
            "control plane dropped the result of "
                + completion.id()
                + (ack.message() == null ? "" : ": " + ack.message()));
      }
    }
    notifyAll();
    return unanswered;
  }

  /** The call carrying these completions failed: they are pending again. */
  synchronized void retry(List<Completion> sent) {
    for (Completion completion : sent) {
      inFlight.remove(completion.id());
      pending.putIfAbsent(completion.id(), completion);
    }
    notifyAll();
  }

  /** Every completion not yet acknowledged, pending or in flight, for the heartbeat. */
  synchronized List<AttemptId> unacknowledged() {
    if (pending.isEmpty() && inFlight.isEmpty()) {
      return List.of();
    }
    List<AttemptId> ids = new ArrayList<>(pending.keySet());
    ids.addAll(inFlight.keySet());
    return ids;
  }

  synchronized boolean isEmpty() {
    return pending.isEmpty() && inFlight.isEmpty();
  }

  synchronized int size() {
    return pending.size() + inFlight.size();
  }

  /** Waits, at most {@code ms}, until every completion is acknowledged. */
  synchronized boolean awaitEmpty(long ms) throws InterruptedException {
    long deadline = System.nanoTime() + ms * 1_000_000;
    while (!isEmpty()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
