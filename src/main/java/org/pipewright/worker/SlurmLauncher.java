package org.pipewright.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.pipewright.WorkspaceProperties;
import org.pipewright.pipeline.Resources;
import org.pipewright.worker.Slurm.SlurmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pool's workers as SLURM jobs, one pilot job per worker, each serving many pipeline jobs.
 * It writes an sbatch script per worker, submits it, watches the jobs with {@code squeue} and
 * replaces a worker whose job ended, failed or was requeued (a requeued job is a new worker: the
 * old one is lost and its attempts are retried), with the local launcher's backoff. It cancels its
 * jobs with {@code scancel} when the service stops, and the job of a worker declared lost. All of
 * it happens on one thread, so that no two steps race over a worker.
 */
public class SlurmLauncher implements Launcher {

  private static final Logger log = LoggerFactory.getLogger(SlurmLauncher.class);

  /** A worker that ends sooner after it started (or never registers) is a failed start. */
  static final Duration SHORT_LIFE = Duration.ofSeconds(10);

  private final WorkerRegistry registry;
  private final WorkerProperties workers;
  private final SlurmProperties properties;
  private final Slurm slurm;
  private final Clock clock;
  private final Path workspace;
  private final Path directory;
  private final String user = System.getProperty("user.name");
  private final Map<Long, Submitted> submitted = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor thread =
      new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name("slurm-launcher").factory());
  private final AtomicInteger failingStarts = new AtomicInteger();
  private volatile boolean running;
  private volatile Duration backoff;

  /** Settled by {@link #start}, before anything is submitted. */
  private volatile @Nullable SlurmSetup setup;

  /** The kinds of worker it keeps, the configured top-level size first. */
  private final List<SlurmProperties.Group> groups;

  /** How many of the first group it keeps: an operator may resize it while the service runs. */
  private final PoolTarget pool;

  /** A worker whose job was submitted, as this launcher sees it. */
  private static final class Submitted {
    final long id;
    final int group;
    final Path folder;
    final String jobId;
    final Instant submittedAt;
    volatile @Nullable Instant runningSince;
    volatile boolean registered;
    volatile boolean fenced;

    Submitted(long id, int group, Path folder, String jobId, Instant submittedAt) {
      this.id = id;
      this.group = group;
      this.folder = folder;
      this.jobId = jobId;
      this.submittedAt = submittedAt;
    }
  }

  SlurmLauncher(
      WorkerRegistry registry,
      WorkerProperties workers,
      SlurmProperties properties,
      WorkspaceProperties workspace,
      Slurm slurm,
      Clock clock) {
    this.registry = registry;
    this.workers = workers;
    this.properties = properties;
    this.slurm = slurm;
    this.clock = clock;
    this.workspace = workspace.root().toAbsolutePath().normalize();
    Path folder = properties.directory() != null ? properties.directory() : workers.directory();
    this.directory = folder.toAbsolutePath().normalize();
    this.backoff = workers.restartBackoff();
    this.groups = properties.pools(workers.poolSize());
    this.pool = new PoolTarget(workers.poolSize());
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    thread.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    registry.onLost(this::fence);
    registry.onRegistered(this::registered);
  }

  @Override
  public synchronized void start(URI fallback) {
    SlurmSetup settled =
        SlurmSetup.settle(workers, properties, workspace, directory, slurm, fallback);
    setup = settled;
    running = true;
    for (int group = 0; group < groups.size(); group++) {
      for (int i = 0; i < groups.get(group).count(); i++) {
        int which = group;
        thread.execute(() -> submit(which));
      }
    }
    long every = properties.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "Submitting {} SLURM workers ({}) calling {}; their folders are in {}",
        groups.stream().mapToInt(SlurmProperties.Group::count).sum(),
        String.join(", ", groups.stream().map(g -> g.count() + " x " + g.offer()).toList()),
        settled.callback,
        directory);
  }

  /** Submits a worker of a group, unless the group has its size already (it shrank meanwhile). */
  private void submit(int group) {
    SlurmSetup setup = this.setup;
    if (!running || setup == null || staying(group) >= target(group)) {
      return;
    }
    WorkerRegistry.Launch launch;
    try {
      launch = registry.launch("slurm");
    } catch (RuntimeException e) {
      log.error("Could not register a new SLURM worker; trying again", e);
      failedStart();
      replace(group, backoff);
      return;
    }
    Path folder = setup.folder(launch.id());
    Path token = folder.resolve(SlurmSetup.TOKEN_FILE);
    try {
      SlurmProperties.Group kind = groups.get(group);
      String jobId = slurm.sbatch(setup.write(launch, kind));
      submitted.put(launch.id(), new Submitted(launch.id(), group, folder, jobId, clock.instant()));
      registry.submitted(launch.id(), jobId);
      log.info("Worker {} submitted as SLURM job {} ({})", launch.id(), jobId, kind.offer());
    } catch (IOException | SlurmException | UncheckedIOException e) {
      deleteQuietly(token);
      log.error("Could not submit worker {}: {}", launch.id(), e.getMessage());
      failedStart();
      try {
        registry.lost(launch.id(), "could not submit it to SLURM: " + e.getMessage());
      } finally {
        replace(group, backoff);
      }
    } catch (RuntimeException e) {
      log.error("Could not record worker {}'s SLURM job", launch.id(), e);
    }
  }

  /** Asks squeue about every worker, and acts on those whose job ended or was requeued. */
  private void poll() {
    if (!running || submitted.isEmpty()) {
      return;
    }
    try {
      Map<String, Slurm.Job> jobs = slurm.squeue(user, properties.jobName());
      Instant now = clock.instant();
      for (Submitted worker : List.copyOf(submitted.values())) {
        cancelIfLeft(worker);
        Slurm.Job job = jobs.get(worker.jobId);
        if (job == null) {
          // squeue keeps ended jobs for a while (MinJobAge); one it forgot ended long ago.
          job =
              slurm
                  .sacct(worker.jobId)
                  .orElse(new Slurm.Job(worker.jobId, "GONE", "squeue no longer knows it", 0));
        }
        if (job.running() && worker.runningSince == null) {
          worker.runningSince = now;
        }
        if (job.requeued()) {
          // The requeued job would only start and exit (its script checks SLURM_RESTART_COUNT).
          slurm.scancel(List.of(worker.jobId));
          ended(worker, "its SLURM job " + job.id() + " was requeued (" + job + ")");
        } else if (job.ended() || job.state().equals("GONE")) {
          ended(
              worker,
              "its SLURM job "
                  + job.id()
                  + " ended "
                  + job
                  + "; see "
                  + worker.folder.resolve(SbatchScript.LOG));
        }
      }
    } catch (SlurmException e) {
      log.warn("Could not ask SLURM about the workers; trying again: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("Watching the SLURM workers failed; trying again", e);
    }
  }

  private void ended(Submitted worker, String why) {
    if (submitted.remove(worker.id) == null) {
      return;
    }
    deleteQuietly(worker.folder.resolve(SlurmSetup.TOKEN_FILE));
    boolean retired = pool.retired(worker.id);
    pool.ended(worker.id);
    if (!running || retired) {
      registry.exited(worker.id);
      if (retired) {
        log.info("Worker {} left the pool: {}", worker.id, why);
      }
      return;
    }
    boolean told = registry.shouldExit(worker.id);
    Instant since = worker.runningSince;
    boolean shortLived =
        since == null || Duration.between(since, clock.instant()).compareTo(SHORT_LIFE) < 0;
    if (!worker.registered || shortLived) {
      failedStart();
    } else {
      backoff = workers.restartBackoff();
    }
    Duration after = told ? Duration.ZERO : backoff;
    try {
      if (told) {
        registry.exited(worker.id);
      } else {
        registry.lost(worker.id, why);
      }
    } finally {
      // Whatever the registry met (its database away), the pool keeps its size.
      log.warn("Worker {}: {}; a new one is submitted in {} ms", worker.id, why, after.toMillis());
      replace(worker.group, after);
    }
  }

  private void registered(long id) {
    failingStarts.set(0);
    Submitted worker = submitted.get(id);
    if (worker != null) {
      worker.registered = true;
      if (worker.runningSince == null) {
        worker.runningSince = clock.instant(); // it runs, though squeue has not said so yet
      }
    }
  }

  private int target(int group) {
    return group == 0 ? pool.target() : groups.get(group).count();
  }

  private int staying(int group) {
    return pool.staying(idsOf(group));
  }

  private List<Long> idsOf(int group) {
    return submitted.values().stream().filter(w -> w.group == group).map(w -> w.id).toList();
  }

  @Override
  public int size() {
    return pool.target();
  }

  /**
   * Keeps {@code workers} of the first group from now on: submits the missing ones, or retires the
   * surplus. A retired worker that has not registered yet (its job waits in the queue, or its JVM
   * is starting) is cancelled at once; one that works exits after its job and its SLURM job is
   * cancelled then, so that its allocation is given back without delay.
   */
  @Override
  public void resize(int workers) {
    pool.target(workers);
    thread.execute(() -> {
      if (!running) {
        return;
      }
      for (int i = staying(0); i < workers; i++) {
        submit(0);
      }
      List<Long> leaving = pool.shrink(idsOf(0), registry);
      leaving.stream().map(submitted::get).filter(w -> w != null).forEach(this::cancelIfLeft);
      log.info(
          "The pool keeps {} SLURM workers of {} now; {} leave",
          workers,
          groups.get(0).offer(),
          leaving);
    });
  }

  /**
   * Cancels the SLURM job of a retired worker once it holds nothing: before it registered, or after
   * the control plane told it to exit. Runs on the launcher's thread.
   */
  private void cancelIfLeft(Submitted worker) {
    if (worker.fenced || !pool.retired(worker.id)) {
      return;
    }
    if (worker.registered && registry.find(worker.id) != null) {
      return; // still working: it leaves at its next call
    }
    worker.fenced = true;
    try {
      slurm.scancel(List.of(worker.jobId));
    } catch (SlurmException e) {
      log.warn(
          "Could not cancel SLURM job {} of retired worker {}: {}", worker.jobId, worker.id, e);
    }
  }

  /**
   * A worker of ours was declared lost while its job may still run (frozen, or cut off): cancel the
   * job, so that its processes die; the next poll replaces it.
   */
  private void fence(long id) {
    Submitted worker = submitted.get(id);
    if (worker != null && !worker.fenced) {
      worker.fenced = true;
      try {
        slurm.scancel(List.of(worker.jobId));
      } catch (SlurmException e) {
        log.warn("Could not cancel SLURM job {} of lost worker {}: {}", worker.jobId, id, e);
      }
    }
  }

  private void failedStart() {
    failingStarts.incrementAndGet();
    Duration next = backoff.multipliedBy(2);
    backoff = next.compareTo(workers.maxRestartBackoff()) > 0 ? workers.maxRestartBackoff() : next;
  }

  private void replace(int group, Duration after) {
    if (running) {
      thread.schedule(() -> submit(group), after.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Cancels every worker's job and waits (up to the stop timeout) until SLURM says they are gone,
   * so that nothing of theirs outlives the service.
   */
  @Override
  public synchronized void stop() {
    running = false;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(workers.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Submitted> all = List.copyOf(submitted.values());
    List<String> jobIds = all.stream().map(w -> w.jobId).toList();
    try {
      slurm.scancel(jobIds);
      awaitGone(jobIds);
    } catch (SlurmException e) {
      log.warn("Could not cancel the SLURM workers {}: {}", jobIds, e.getMessage());
    }
    log.info("Cancelled {} SLURM workers {}", all.size(), jobIds);
    for (Submitted worker : all) {
      if (submitted.remove(worker.id) != null) {
        deleteQuietly(worker.folder.resolve(SlurmSetup.TOKEN_FILE));
        try {
          registry.exited(worker.id);
        } catch (RuntimeException e) {
          // The database may be gone first at JVM exit; the jobs are cancelled all the same.
          log.warn("Could not record that worker {} exited: {}", worker.id, e.getMessage());
        }
      }
    }
  }

  private void awaitGone(List<String> jobIds) {
    long deadline = System.nanoTime() + workers.stopTimeout().toNanos();
    while (!jobIds.isEmpty() && System.nanoTime() < deadline) {
      Map<String, Slurm.Job> jobs = slurm.squeue(user, properties.jobName());
      if (jobIds.stream().allMatch(id -> !jobs.containsKey(id) || jobs.get(id).ended())) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void stopEarlier(WorkerRow worker) {
    cancel(worker, "an earlier process of this control plane");
  }

  @Override
  public void stopAbandoned(WorkerRow worker) {
    cancel(worker, "a control plane found dead");
  }

  /**
   * Cancels another process's SLURM worker, when it is one: by its job id, and only a job of this
   * user with the workers' job name, in case that process used another cluster, whose ids mean
   * other jobs here.
   */
  private void cancel(WorkerRow worker, String of) {
    if (worker.slurmJobId() == null || !"slurm".equals(worker.launcher())) {
      return;
    }
    try {
      slurm.scancel(List.of(worker.slurmJobId()), user, properties.jobName());
      log.info("Cancelled SLURM job {} of worker {} of {}", worker.slurmJobId(), worker.id(), of);
    } catch (SlurmException e) {
      log.warn("Could not cancel SLURM job {}: {}", worker.slurmJobId(), e.getMessage());
    }
  }

  @Override
  public int failingStarts() {
    return failingStarts.get();
  }

  @Override
  public List<Resources> offers() {
    return properties.pools(workers.poolSize()).stream().map(SlurmProperties.Group::offer).toList();
  }

  /** The SLURM job ids of the workers submitted now, by worker id: for tests and operators. */
  public Map<Long, String> jobIds() {
    Map<Long, String> ids = new java.util.TreeMap<>();
    submitted.forEach((id, worker) -> ids.put(id, worker.jobId));
    return ids;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete {}", file, e);
    }
  }
}
