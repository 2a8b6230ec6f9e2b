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

  /** A worker whose job was submitted, as this launcher sees it. */
  private static final class Submitted {
    final long id;
    final SlurmProperties.Group group;
    final Path folder;
    final String jobId;
    final Instant submittedAt;
    volatile @Nullable Instant runningSince;
    volatile boolean registered;
    volatile boolean fenced;

    Submitted(
        long id, SlurmProperties.Group group, Path folder, String jobId, Instant submittedAt) {
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
    List<SlurmProperties.Group> pools = properties.pools(workers.poolSize());
    for (SlurmProperties.Group group : pools) {
      for (int i = 0; i < group.count(); i++) {
        thread.execute(() -> submit(group));
      }
    }
    long every = properties.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "Submitting {} SLURM workers ({}) calling {}; their folders are in {}",
        pools.stream().mapToInt(SlurmProperties.Group::count).sum(),
        String.join(", ", pools.stream().map(g -> g.count() + " x " + g.offer()).toList()),
        settled.callback,
        directory);
  }

  private void submit(SlurmProperties.Group group) {
    SlurmSetup setup = this.setup;
    if (!running || setup == null) {
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
      String jobId = slurm.sbatch(setup.write(launch, group));
      submitted.put(launch.id(), new Submitted(launch.id(), group, folder, jobId, clock.instant()));
      registry.submitted(launch.id(), jobId);
      log.info("Worker {} submitted as SLURM job {} ({})", launch.id(), jobId, group.offer());
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
    if (!running) {
      registry.exited(worker.id);
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

  private void replace(SlurmProperties.Group group, Duration after) {
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
    if (worker.slurmJobId() != null) {
      try {
        slurm.scancel(List.of(worker.slurmJobId()));
      } catch (SlurmException e) {
        log.warn("Could not cancel SLURM job {}: {}", worker.slurmJobId(), e.getMessage());
      }
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
