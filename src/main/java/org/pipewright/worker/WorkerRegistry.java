package org.pipewright.worker;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.pipewright.Tokens;
import org.pipewright.pipeline.Resources;
import org.pipewright.run.Scheduler;
import org.pipewright.security.WorkerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Every worker this control plane knows, with its lease. A heartbeat extends the lease; a worker
 * whose lease runs out (on this clock) is lost and its jobs go back to the queue. Workers launched
 * by an earlier process of the control plane are adopted after a restart: their leases get a fresh
 * grace period so that their running jobs are not retried while they may still finish, and they are
 * told to exit once they hold nothing.
 */
public class WorkerRegistry implements WorkerCredentials {

  private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

  /** This control plane's id: a worker's row names the process that launched or adopted it. */
  private final String instanceId;

  private final Map<Long, WorkerRow> workers = new ConcurrentHashMap<>();
  private final Map<String, Long> launchTokens = new ConcurrentHashMap<>();
  private final Map<String, Long> sessions = new ConcurrentHashMap<>();
  private final Set<Long> retiring = ConcurrentHashMap.newKeySet();
  private final WorkerRepository repository;
  private final Scheduler scheduler;
  private final WorkerProperties properties;
  private final Clock clock;
  private volatile boolean stopping;
  private final List<LongConsumer> fences = new CopyOnWriteArrayList<>();
  private final List<LongConsumer> registered = new CopyOnWriteArrayList<>();

  WorkerRegistry(
      WorkerRepository repository,
      Scheduler scheduler,
      WorkerProperties properties,
      Clock clock,
      String instanceId) {
    this.instanceId = instanceId;
    this.repository = repository;
    this.scheduler = scheduler;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * A new worker and its launch token, before its process starts.
   *
   * @param id the worker's id
   * @param token the secret it registers with
   */
  public record Launch(long id, String token) {}

  /**
   * What a worker gets when it registers.
   *
   * @param workerId its id
   * @param sessionToken the token of every later call
   * @param heartbeatMs how often to heartbeat
   * @param leaseMs how long its jobs stay its own without a heartbeat
   */
  public record Registration(long workerId, String sessionToken, long heartbeatMs, long leaseMs) {}

  public synchronized Launch launch(String launcher) {
    String token = Tokens.generate();
    WorkerRow row =
        new WorkerRow(
            0,
            launcher,
            Tokens.hash(token),
            null,
            instanceId,
            null,
            null,
            WorkerState.LAUNCHED,
            clock.instant(),
            null,
            null,
            null,
            0,
            null,
            null);
    long id = repository.insert(row);
    WorkerRow stored = repository.find(id).orElseThrow();
    workers.put(id, stored);
    launchTokens.put(stored.launchTokenHash(), id);
    return new Launch(id, token);
  }

  /** Records the SLURM job a launched worker runs as, so that the API and an operator find it. */
  public synchronized void submitted(long id, String slurmJobId) {
    WorkerRow row = current(id);
    write(row.withSlurmJobId(slurmJobId), row.version());
  }

  /**
   * Registers the launched worker {@code id}; again for the same launch, a new session.
   *
   * @param offered the cores and memory it offers its jobs, or null when it does not say: it then
   *     gets only jobs that ask for none
   */
  public synchronized Registration register(
      long id, @Nullable String host, @Nullable Long pid, @Nullable Resources offered) {
    WorkerRow row = current(id);
    Instant now = clock.instant();
    String session = Tokens.generate();
    if (row.sessionTokenHash() != null) {
      sessions.remove(row.sessionTokenHash());
    }
    WorkerRow next =
        new WorkerRow(
            row.id(),
            row.launcher(),
            row.launchTokenHash(),
            Tokens.hash(session),
            row.instanceId(),
            host,
            pid,
            row.state() == WorkerState.ALIVE ? row.state() : row.state().to(WorkerState.ALIVE),
            row.launchedAt(),
            now,
            now.plus(properties.lease()),
            null,
            row.version() + 1,
            row.slurmJobId(),
            offered);
    write(next, row.version());
    sessions.put(next.sessionTokenHash(), id);
    log.info(
        "Worker {} registered (pid {} on {}{}{})",
        id,
        pid,
        host,
        row.slurmJobId() == null ? "" : ", SLURM job " + row.slurmJobId(),
        offered == null ? "" : ", offering " + offered);
    for (LongConsumer listener : registered) {
      listener.accept(id);
    }
    return new Registration(
        id, session, properties.heartbeat().toMillis(), properties.lease().toMillis());
  }

  /**
   * Extends the worker's lease.
   *
   * @return whether the service stops and the worker should exit now, killing what it runs (a
   *     worker of an earlier process is not told here: it finishes its jobs and hears it when it
   *     asks for more)
   * @throws WorkerLostException when it was declared lost: its jobs already run elsewhere
   */
  public synchronized boolean heartbeat(long id) {
    WorkerRow row = current(id);
    WorkerRow next = row.withLease(clock.instant().plus(properties.lease()));
    try {
      write(next, row.version());
    } catch (DataAccessException e) {
      // The worker is alive, whatever the database can take just now: were its lease not extended,
      // reap would declare it lost and its jobs, finished or not, would run again. The lease holds
      // in memory, where reap reads it; the row catches up with a later heartbeat.
      workers.put(id, next.atVersion(row.version()));
      log.debug("Worker {}'s heartbeat not stored: {}", id, e.getMessage());
    }
    return stopping;
  }

  /** What a live worker offers its jobs; nothing ({@link Resources#NONE}) when it did not say. */
  public Resources offered(long id) {
    WorkerRow row = workers.get(id);
    return row == null || row.offered() == null ? Resources.NONE : row.offered();
  }

  /** What each worker alive now offers: a job that fits one of them can run. */
  public List<Resources> offeredByAlive() {
    return workers.values().stream()
        .filter(row -> row.state() == WorkerState.ALIVE && row.offered() != null)
        .map(WorkerRow::offered)
        .toList();
  }

  /** The newest workers first, ended ones included: what the API lists. */
  public List<WorkerRow> recent(int limit) {
    return repository.list(limit);
  }

  /**
   * Whether the worker should stop: the service stops, it belongs to an earlier process, or the
   * pool shrinks.
   */
  public boolean shouldExit(long id) {
    return stopping || retiring.contains(id);
  }

  /**
   * Tells a worker to leave at its next lease call, once it holds nothing: the pool shrinks. A
   * worker waiting for work now gets its answer at once.
   */
  public void retire(long id) {
    if (workers.containsKey(id)) {
      retiring.add(id);
      scheduler.wakeWaiting();
    }
  }

  /** Whether the worker holds a job now. */
  public boolean busy(long id) {
    return scheduler.holdsJobs(id);
  }

  /** Declares lost every live worker whose lease ran out; their jobs go back to the queue. */
  public void reap() {
    Instant now = clock.instant();
    for (WorkerRow row : List.copyOf(workers.values())) {
      if (row.state() == WorkerState.ALIVE
          && row.leaseExpiresAt() != null
          && row.leaseExpiresAt().isBefore(now)) {
        lost(row.id(), "no heartbeat from worker " + row.id() + " within its lease");
      }
    }
  }

  /**
   * Adds what must happen to a lost worker before its jobs are retried: its launcher stops it and
   * whatever its jobs still run (a worker that is frozen or cut off cannot kill them itself), and
   * the shared locks it holds are released.
   */
  public void onLost(LongConsumer fence) {
    fences.add(fence);
  }

  /** Adds what must happen when a worker registers: the launcher learns its workers can start. */
  public void onRegistered(LongConsumer listener) {
    registered.add(listener);
  }

  /** Whether a worker this registry still knows has registered. */
  public boolean hasRegistered(long id) {
    WorkerRow row = workers.get(id);
    return row != null && row.registeredAt() != null;
  }

  /** The worker is gone for a reason other than its own choice; its attempts are lost. */
  public void lost(long id, String why) {
    if (end(id, WorkerState.LOST)) {
      log.warn("Worker {} lost: {}", id, why);
    }
    for (LongConsumer fence : fences) {
      fence.accept(id);
    }
    scheduler.workerLost(id, why);
  }

  /** The worker stopped on purpose (it was told to, or the service stops). */
  public void exited(long id) {
    end(id, WorkerState.EXITED);
    scheduler.workerLost(id, "worker " + id + " exited");
  }

  private synchronized boolean end(long id, WorkerState state) {
    WorkerRow row = workers.remove(id);
    retiring.remove(id);
    if (row == null) {
      return false;
    }
    launchTokens.remove(row.launchTokenHash());
    if (row.sessionTokenHash() != null) {
      sessions.remove(row.sessionTokenHash());
    }
    repository.update(row.ended(state, clock.instant()), row.version());
    return true;
  }

  /**
   * Adopts the workers an earlier process of the control plane at this address left running: they
   * keep their jobs for a fresh lease period, then are told to exit once they ask for more.
   *
   * @param predecessors the earlier processes whose place this one took
   * @return the ids of the workers adopted
   */
  public synchronized Set<Long> adoptEarlierWorkers(Collection<String> predecessors) {
    Instant until = clock.instant().plus(properties.lease());
    Set<Long> adopted = new java.util.HashSet<>();
    for (WorkerRow row : repository.findActive()) {
      if (!predecessors.contains(row.instanceId())) {
        continue;
      }
      WorkerRow next = row.withLease(row.state() == WorkerState.ALIVE ? until : null);
      if (!repository.update(next, row.version())) {
        continue;
      }
      workers.put(row.id(), next);
      launchTokens.put(row.launchTokenHash(), row.id());
      if (row.sessionTokenHash() != null) {
        sessions.put(row.sessionTokenHash(), row.id());
      }
      retiring.add(row.id());
      adopted.add(row.id());
    }
    if (!adopted.isEmpty()) {
      log.info("Adopted workers {} of an earlier control-plane process", adopted);
    }
    return adopted;
  }

  /**
   * Marks lost the workers of control planes found dead. They call their own control plane, never
   * this one; by now they have killed their jobs and will exit when they find it gone.
   *
   * @return the workers marked lost here, as they were
   */
  public synchronized List<WorkerRow> forgetWorkersOf(Collection<String> instances) {
    Instant now = clock.instant();
    List<WorkerRow> forgotten = new java.util.ArrayList<>();
    for (WorkerRow row : repository.findActive()) {
      if (instances.contains(row.instanceId())
          && repository.update(row.ended(WorkerState.LOST, now), row.version())) {
        forgotten.add(row);
      }
    }
    return forgotten;
  }

  /** Tells every worker to exit at its next call, as the service stops. */
  public void stopping() {
    stopping = true;
  }

  /** The worker with this id, while it is launched or alive. */
  public @Nullable WorkerRow find(long id) {
    return workers.get(id);
  }

  @Override
  public OptionalLong launchToken(String token) {
    Long id = launchTokens.get(Tokens.hash(token));
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  @Override
  public OptionalLong sessionToken(String token) {
    Long id = sessions.get(Tokens.hash(token));
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  /** Workers known to this control plane by state, every state present: the metrics' gauge. */
  public Map<WorkerState, Integer> countByState() {
    Map<WorkerState, Integer> counts = new java.util.EnumMap<>(WorkerState.class);
    for (WorkerState state : WorkerState.values()) {
      counts.put(state, 0);
    }
    for (WorkerRow row : workers.values()) {
      counts.merge(row.state(), 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public Optional<AttemptCredential> attemptToken(String token) {
    return scheduler
        .attemptHolder(token)
        .map(held ->
            new AttemptCredential(held.workerId(), held.runId(), held.jobId(), held.attempt()));
  }

  private WorkerRow current(long id) {
    WorkerRow row = workers.get(id);
    if (row == null) {
      throw new WorkerLostException(id);
    }
    return row;
  }

  private void write(WorkerRow next, long expected) {
    if (!repository.update(next, expected)) {
      throw new WorkerLostException(next.id());
    }
    workers.put(next.id(), next);
  }
}
