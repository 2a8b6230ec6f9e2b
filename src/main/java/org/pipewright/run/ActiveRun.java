package org.pipewright.run;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.Resources;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.plan.JobHistory;

/**
 * The scheduler's working copy of a run that is not over: its jobs, the ready queues (one per
 * {@code jobs_limit} and size of job, so that neither a full limit nor a job too big for the asking
 * worker hides the jobs behind it), and how many jobs of each limit are out. Touched only under the
 * scheduler's lock.
 */
final class ActiveRun {

  /** The limit of jobs that belong to no {@code jobs_limit}. */
  static final String UNLIMITED = "";

  /**
   * A ready queue: the jobs of one {@code jobs_limit} (or none) that ask for the same resources.
   */
  record Queue(String limit, Resources needs) {}

  final long id;
  final PipelineDefinition definition;
  final RunRequest request;
  final int pipelineVersion;
  final Instant createdAt;
  final Map<String, TaskDefinition> tasks = new HashMap<>();
  final Map<String, JobSlot> byKey = new LinkedHashMap<>();
  final Map<Queue, ArrayDeque<JobSlot>> ready = new LinkedHashMap<>();
  final Map<String, Integer> out = new HashMap<>();
  final Map<String, Integer> limits = new HashMap<>();
  final Set<String> deferred = new LinkedHashSet<>();

  /**
   * The history as the run found it. Only outputs recorded here need forgetting when their job is
   * leased: a job of this run that completed is never leased again, and no other run of the
   * pipeline is in progress, so nothing else records them meanwhile.
   */
  final JobHistory recordedAtStart;

  /** What readers see of it, published after each stored step. */
  final ShownRun shown;

  private final Map<String, Integer> openByTask = new HashMap<>();
  private final Map<String, java.util.EnumMap<JobState, Integer>> counts = new LinkedHashMap<>();
  private final Set<String> badTasks = new java.util.HashSet<>();

  RunState state;
  @Nullable Instant startedAt;
  @Nullable Instant finishedAt;
  @Nullable String error;
  long version;
  long storedVersion;
  int unfinished;
  int readyCount;
  boolean failed;

  /** Plans of deferred tasks asked for and not yet made; the run does not end before them. */
  int replans;

  ActiveRun(RunRow row, PipelineDefinition definition, JobHistory recordedAtStart) {
    this.id = row.id();
    this.recordedAtStart = recordedAtStart;
    this.definition = definition;
    this.request = row.request();
    this.pipelineVersion = row.pipelineVersion();
    this.createdAt = row.createdAt();
    this.state = row.state();
    this.startedAt = row.startedAt();
    this.finishedAt = row.finishedAt();
    this.error = row.error();
    this.version = row.version();
    this.storedVersion = row.version();
    this.deferred.addAll(row.deferredTasks());
    this.shown = new ShownRun(id, definition.name());
    for (TaskDefinition task : definition.tasks()) {
      tasks.put(task.name(), task);
      if (task.jobsLimit() != null) {
        limits.put(task.jobsLimit().name(), task.jobsLimit().limit());
      }
    }
  }

  String pipeline() {
    return definition.name();
  }

  /** Builds the slot for a stored job; its links to other jobs are made by {@link #link}. */
  JobSlot add(JobRow row) {
    TaskDefinition task = tasks.get(row.task());
    String limit = task == null || task.jobsLimit() == null ? null : task.jobsLimit().name();
    JobSlot slot = new JobSlot(this, row, limit, task == null ? 0 : task.retries());
    byKey.put(slot.key, slot);
    count(slot.task, slot.state, 1);
    if (!slot.state.isFinal()) {
      unfinished++;
      openByTask.merge(slot.task, 1, Integer::sum);
    } else if (slot.state != JobState.SUCCEEDED && slot.state != JobState.SKIPPED) {
      badTasks.add(slot.task);
    }
    return slot;
  }

  /**
   * Links a job to the jobs it waits for and says whether it can never run because one of them
   * failed. Jobs not in this run (made by an earlier run) are already done.
   */
  boolean link(JobSlot slot) {
    boolean blocked = false;
    for (String key : slot.spec.after()) {
      JobSlot before = byKey.get(key);
      if (before == null) {
        continue;
      }
      switch (before.state) {
        case SUCCEEDED, SKIPPED -> {}
        case FAILED, BLOCKED, CANCELLED -> blocked = true;
        default -> {
          before.dependents.add(slot);
          slot.waitingFor++;
        }
      }
    }
    return blocked;
  }

  void enqueue(JobSlot slot) {
    ArrayDeque<JobSlot> queue = ready.computeIfAbsent(queueOf(slot), k -> new ArrayDeque<>());
    if (slot.retried) {
      queue.addFirst(slot);
    } else {
      queue.addLast(slot);
    }
    readyCount++;
  }

  /**
   * Takes the next job a worker that has {@code worker} may start: the lowest in plan order among
   * the heads of the queues whose limit has room and whose jobs fit the worker.
   */
  @Nullable JobSlot poll(Resources worker) {
    ArrayDeque<JobSlot> best = null;
    for (Map.Entry<Queue, ArrayDeque<JobSlot>> queue : ready.entrySet()) {
      JobSlot head = queue.getValue().peekFirst();
      if (head == null
          || !queue.getKey().needs().fitsIn(worker)
          || !hasRoom(queue.getKey().limit())) {
        continue;
      }
      if (best == null || head.seq < best.peekFirst().seq) {
        best = queue.getValue();
      }
    }
    if (best == null) {
      return null;
    }
    JobSlot slot = best.pollFirst();
    readyCount--;
    taken(slot);
    return slot;
  }

  /**
   * Takes every ready job that asks for resources {@code runnable} says no worker will ever have.
   */
  List<JobSlot> takeUnrunnable(java.util.function.Predicate<Resources> runnable) {
    List<JobSlot> taken = new ArrayList<>();
    for (Map.Entry<Queue, ArrayDeque<JobSlot>> queue : ready.entrySet()) {
      Resources needs = queue.getKey().needs();
      if (!queue.getValue().isEmpty() && !needs.isNone() && !runnable.test(needs)) {
        taken.addAll(queue.getValue());
        readyCount -= queue.getValue().size();
        queue.getValue().clear();
      }
    }
    return taken;
  }

  /** What each job of the slot's task asks of its worker. */
  Resources needs(JobSlot slot) {
    TaskDefinition task = tasks.get(slot.task);
    return task == null ? Resources.NONE : task.resources();
  }

  /** A worker holds the job now: it counts against its limit. */
  void taken(JobSlot slot) {
    out.merge(limitOf(slot), 1, Integer::sum);
  }

  /** A job a worker held is back or done: its limit has room again. */
  void release(JobSlot slot) {
    out.merge(limitOf(slot), -1, Integer::sum);
  }

  /** Drops a queued job from its queue (cancelled or blocked before a worker took it). */
  void unqueue(JobSlot slot) {
    if (ready.getOrDefault(queueOf(slot), new ArrayDeque<>()).remove(slot)) {
      readyCount--;
    }
  }

  private boolean hasRoom(String queue) {
    if (queue.equals(UNLIMITED)) {
      return true;
    }
    return out.getOrDefault(queue, 0) < limits.getOrDefault(queue, Integer.MAX_VALUE);
  }

  private Queue queueOf(JobSlot slot) {
    return new Queue(limitOf(slot), needs(slot));
  }

  private static String limitOf(JobSlot slot) {
    return slot.limit == null ? UNLIMITED : slot.limit;
  }

  /** Jobs of a task that take longer than this go to workers one at a time. */
  static final long QUICK_NANOS = 50_000_000;

  private final Map<String, Long> typicalNanos = new HashMap<>();

  /** Learns how long a task's jobs take (a moving average of what workers report). */
  void took(String task, long nanos) {
    typicalNanos.merge(task, nanos, (old, now) -> (old * 4 + now) / 5);
  }

  /**
   * Whether a task's jobs are known to be quick. Only quick jobs are handed out several to a
   * worker: a batch of long jobs on one worker would leave the others idle at the end of a run.
   */
  boolean quick(String task) {
    Long typical = typicalNanos.get(task);
    return typical != null && typical < QUICK_NANOS;
  }

  /** Keeps the jobs per task and state, so that showing a run never scans its jobs. */
  void count(String task, JobState state, int delta) {
    counts
        .computeIfAbsent(task, t -> new java.util.EnumMap<>(JobState.class))
        .merge(state, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  /** A copy of the jobs per task (in plan order) and state. */
  Map<String, Map<JobState, Integer>> counts() {
    Map<String, Map<JobState, Integer>> copy = new LinkedHashMap<>();
    counts.forEach((task, byState) -> copy.put(task, new java.util.EnumMap<>(byState)));
    return copy;
  }

  /** Counts a job that reached a final state. */
  void ended(JobSlot slot) {
    unfinished--;
    openByTask.merge(slot.task, -1, Integer::sum);
    if (slot.state != JobState.SUCCEEDED && slot.state != JobState.SKIPPED) {
      badTasks.add(slot.task);
    }
  }

  /** Every job of this task is over and none failed: what a deferred task waits for. */
  boolean taskSucceeded(String task) {
    return openByTask.getOrDefault(task, 0) == 0 && !badTasks.contains(task);
  }

  List<JobSlot> slots() {
    return new ArrayList<>(byKey.values());
  }

  RunRow row() {
    return new RunRow(
        id,
        pipeline(),
        pipelineVersion,
        state,
        request,
        List.copyOf(deferred),
        createdAt,
        startedAt,
        finishedAt,
        error,
        version);
  }
}
