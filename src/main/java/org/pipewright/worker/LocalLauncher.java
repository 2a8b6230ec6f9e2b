package org.pipewright.worker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.pipewright.WorkspaceProperties;
import org.pipewright.lock.LocalLockChannel;
import org.pipewright.pipeline.Resources;
import org.pipewright.worker.runtime.PidFiles;
import org.pipewright.worker.runtime.ProcessTree;
import org.pipewright.worker.runtime.WorkerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forks the pool of worker JVMs on this host, keeps it at its size and stops it with the service.
 * Each worker gets a folder of its own (its log, and the pid files of the shells that start its
 * jobs), a lean command line and an allow-listed environment. A worker that dies is replaced after
 * a backoff that grows while workers keep dying; whatever its jobs left running is killed first, so
 * a job is never retried while its first attempt still runs.
 */
public class LocalLauncher implements Launcher {

  private static final Logger log = LoggerFactory.getLogger(LocalLauncher.class);

  /** Variables a worker inherits from the service; nothing else (no secrets) leaks through. */
  static final List<String> INHERITED_ENV =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");

  private final WorkerRegistry registry;
  private final WorkerProperties properties;
  private final Path workspace;
  private final @Nullable Path lockSocket;
  private final Map<Long, Process> processes = new ConcurrentHashMap<>();
  private final ScheduledExecutorService restarts =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
  private final Path directory;
  private volatile boolean running;
  private volatile Duration backoff;

  /**
   * Workers in a row that could not start, or ended without registering or within 10 s of their
   * start; a worker that registers sets it back to 0. Health's clue that no worker can start.
   */
  private final AtomicInteger failingStarts = new AtomicInteger();

  /** How many workers it keeps: the configured count until an operator resizes the pool. */
  private final PoolTarget pool;

  private volatile URI callback = URI.create("http://127.0.0.1:8080");
  private List<String> command = List.of();

  LocalLauncher(
      WorkerRegistry registry,
      WorkerProperties properties,
      WorkspaceProperties ws,
      LocalLockChannel locks) {
    this.registry = registry;
    this.lockSocket = locks.path().orElse(null);
    this.properties = properties;
    this.workspace = ws.root().toAbsolutePath().normalize();
    this.directory = properties.directory().toAbsolutePath().normalize();
    this.backoff = properties.restartBackoff();
    this.pool = new PoolTarget(properties.poolSize());
    registry.onLost(this::fence);
    registry.onRegistered(id -> failingStarts.set(0));
  }

  /**
   * A worker of ours was declared lost while its process may still run (frozen, or cut off): kill
   * the jobs its pid files lead to and the worker itself, so that no job runs here and elsewhere.
   */
  private void fence(long id) {
    Process process = processes.get(id);
    if (process != null && process.isAlive()) {
      killLeftovers(directory.resolve(String.valueOf(id)));
      process.destroyForcibly();
    }
  }

  /** Starts the pool; {@code callback} is where the workers find this control plane. */
  @Override
  public synchronized void start(URI callback) {
    this.callback = properties.callbackUrl() != null ? properties.callbackUrl() : callback;
    try {
      // Workers refuse a workspace that is not there; a fresh install has none yet.
      Files.createDirectories(workspace);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not create the workspace " + workspace, e);
    }
    this.command = command();
    running = true;
    for (int i = 0; i < pool.target(); i++) {
      launch();
    }
    log.info("Started {} local workers calling {}", pool.target(), this.callback);
  }

  private List<String> command() {
    List<Path> classPath = WorkerClasspath.resolve(properties.classPath(), directory);
    return WorkerCommand.line(
        WorkerCommand.java(properties.javaCommand()),
        properties.jvmOptions(),
        directory.resolve("worker-" + classPath.hashCode() + ".jsa"),
        classPath);
  }

  /** Starts a worker, unless the pool has its size already (it shrank since this was planned). */
  private synchronized void launch() {
    if (!running || pool.staying(processes.keySet()) >= pool.target()) {
      return;
    }
    WorkerRegistry.Launch launch = registry.launch("local");
    Path folder = directory.resolve(String.valueOf(launch.id()));
    try {
      Files.createDirectories(folder.resolve("jobs"));
      ProcessBuilder builder = new ProcessBuilder(sessionOfItsOwn(command));
      Map<String, String> env = builder.environment();
      Map<String, String> inherited = WorkerCommand.allowed(env, INHERITED_ENV);
      env.clear();
      env.putAll(inherited);
      env.putAll(WorkerCommand.settings(callback, workspace, folder, properties));
      if (lockSocket != null) { // this host's, so only the local launcher's workers can reach it
        env.put("PIPEWRIGHT_LOCK_SOCKET", lockSocket.toString());
      }
      // The launch token goes through the worker's stdin, never its environment: a job runs as
      // the same user and could read /proc/<worker>/environ, then register as that worker.
      env.put("PIPEWRIGHT_LAUNCH_TOKEN_FROM", "stdin");
      builder.directory(folder.toFile());
      builder.redirectErrorStream(true);
      builder.redirectOutput(
          ProcessBuilder.Redirect.appendTo(folder.resolve("worker.log").toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.PIPE);
      Instant started = Instant.now();
      Process process = builder.start();
      try (var stdin = process.getOutputStream()) {
        stdin.write((launch.token() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // It died at once: its exit is handled like any other.
      }
      processes.put(launch.id(), process);
      process.onExit().thenRun(() -> exited(launch.id(), process, folder, started));
    } catch (IOException e) {
      failingStarts.incrementAndGet();
      log.error("Could not start a worker", e);
      // A command that cannot start now will not start in a moment either: back off, as for a
      // worker that dies at once, instead of forking in a tight loop.
      growBackoff();
      try {
        registry.lost(launch.id(), "could not start: " + e.getMessage());
      } finally {
        scheduleReplacement(backoff);
      }
    }
  }

  private void exited(long id, Process process, Path folder, Instant started) {
    if (processes.remove(id) == null) {
      return; // stop() took care of it
    }
    killLeftovers(folder);
    killSession(process.pid());
    boolean retired = pool.retired(id);
    pool.ended(id);
    if (!running) {
      registry.exited(id);
      return;
    }
    boolean told = retired || registry.shouldExit(id);
    boolean registered = registry.hasRegistered(id);
    Duration lived = Duration.between(started, Instant.now());
    if (retired) {
      log.info("Worker {} left the pool, which now keeps {}", id, pool.target());
    } else if (!registered || lived.compareTo(Duration.ofSeconds(10)) < 0) {
      failingStarts.incrementAndGet();
      growBackoff();
    } else {
      backoff = properties.restartBackoff();
    }
    try {
      if (told) {
        registry.exited(id);
      } else {
        registry.lost(id, "worker process ended with exit code " + process.exitValue());
      }
    } finally {
      // Whatever the registry met (its database away), the pool keeps its size.
      if (!retired) {
        log.warn(
            "Worker {} ended (exit code {}); a new one starts in {} ms",
            id,
            process.exitValue(),
            told ? 0 : backoff.toMillis());
      }
      scheduleReplacement(told ? Duration.ZERO : backoff);
    }
  }

  private void growBackoff() {
    Duration next = backoff.multipliedBy(2);
    backoff =
        next.compareTo(properties.maxRestartBackoff()) > 0 ? properties.maxRestartBackoff() : next;
  }

  private void scheduleReplacement(Duration after) {
    if (running) {
      restarts.schedule(this::launch, after.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Kills the process trees a dead or lost worker left: its pid files name the shells that started
   * its jobs ({@link PidFiles#killLeftovers}).
   */
  private static void killLeftovers(Path folder) {
    PidFiles.killLeftovers(folder)
        .forEach(problem -> log.warn("Worker folder {}: {}", folder, problem));
  }

  @Override
  public int size() {
    return pool.target();
  }

  /**
   * Keeps {@code workers} from now on: starts the missing ones at once, or retires the surplus,
   * which exit once their job is done.
   */
  @Override
  public synchronized void resize(int workers) {
    pool.target(workers);
    if (!running) {
      return;
    }
    int missing = workers - pool.staying(processes.keySet());
    for (int i = 0; i < missing; i++) {
      launch();
    }
    List<Long> leaving = pool.shrink(processes.keySet(), registry);
    log.info("The pool keeps {} local workers now; {} leave", workers, leaving);
  }

  /**
   * The worker's command, started through {@code setsid} where there is one: the worker leads a
   * session of its own, which every process of its jobs stays in, even one whose parent died.
   */
  static List<String> sessionOfItsOwn(List<String> command) {
    String setsid = WorkerSession.setsid();
    if (setsid == null) {
      return command;
    }
    List<String> line = new java.util.ArrayList<>(command.size() + 1);
    line.add(setsid);
    line.addAll(command);
    return line;
  }

  /**
   * Kills what is left in the session of a worker that ended (it led it: its pid is the session's
   * id): processes of its last job that no recorded shell's tree holds, because their parent died.
   */
  static void killSession(long workerPid) {
    if (WorkerSession.setsid() == null) {
      return;
    }
    for (int round = 0; round < 10; round++) {
      List<Long> left = WorkerSession.members(workerPid);
      if (left.isEmpty()) {
        return;
      }
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops every worker: SIGTERM, then SIGKILL for those still running after the stop timeout. */
  @Override
  public synchronized void stop() {
    running = false;
    restarts.shutdownNow();
    Map<Long, Process> all = new java.util.TreeMap<>(processes);
    all.values().forEach(Process::destroy);
    long deadline = System.nanoTime() + properties.stopTimeout().toNanos();
    for (Map.Entry<Long, Process> entry : all.entrySet()) {
      Process process = entry.getValue();
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
          ProcessTree.treeOf(List.of(process.toHandle())).forEach(ProcessHandle::destroyForcibly);
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      if (processes.remove(entry.getKey()) != null) {
        killLeftovers(directory.resolve(String.valueOf(entry.getKey())));
        killSession(process.pid());
        registry.exited(entry.getKey());
      }
    }
    log.info("Stopped {} local workers", all.size());
  }

  @Override
  public void stopEarlier(WorkerRow worker) {
    if (worker.pid() != null) {
      stopOrphan(worker.pid());
    }
  }

  /**
   * A dead peer's local workers run on its host, maybe not this one, where their pids mean nothing:
   * they exit by themselves once they cannot reach it ({@code
   * pipewright.workers.unreachable-exit}).
   */
  @Override
  public void stopAbandoned(WorkerRow worker) {}

  /** Every local worker offers the whole host, which they share (docs/worker-protocol.md). */
  @Override
  public List<Resources> offers() {
    return List.of(new Resources(Runtime.getRuntime().availableProcessors(), hostMemoryMb()));
  }

  /** This host's memory in MiB as a local worker reads it: {@code MemTotal} of /proc/meminfo. */
  static long hostMemoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: fall through
    }
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  /** Stops workers an earlier process of the service forked, when they are still running. */
  static void stopOrphan(long pid) {
    ProcessHandle.of(pid)
        .filter(handle -> handle.info().commandLine().orElse("").contains(WorkerClasspath.MAIN))
        .ifPresent(ProcessHandle::destroy);
  }

  /** How many workers in a row could not start, or ended before they could work. */
  @Override
  public int failingStarts() {
    return failingStarts.get();
  }

  /** The pids of the workers running now, for tests and the API. */
  public Map<Long, Long> pids() {
    Map<Long, Long> pids = new java.util.TreeMap<>();
    processes.forEach((id, process) -> pids.put(id, process.pid()));
    return pids;
  }
}
