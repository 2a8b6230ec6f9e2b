package org.pipewright.worker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The pool of worker JVMs.
 *
 * @param launcher {@code local} forks worker JVMs on this host; {@code none} starts none (workers
 *     are started by hand or by another launcher) (default {@code local})
 * @param count how many workers run at once, Ruffus's {@code multiprocess=N}; 0 means one per core
 *     (default 0)
 * @param heartbeat how often a worker reports; a lease lasts {@code lease} (default 1 s)
 * @param lease how long a worker's jobs stay its own without a heartbeat; a worker that stays
 *     silent longer is lost and its jobs run elsewhere (default 15 s)
 * @param unreachableExit a worker that cannot reach the control plane this long kills its jobs and
 *     exits, so no worker outlives a dead control plane for long (default 60 s)
 * @param maxBatch the most jobs a worker takes in one lease call when many quick jobs are ready;
 *     jobs of a task not yet seen to take under 50 ms go one at a time (default 64)
 * @param javaCommand the {@code java} that starts workers (default: the one running the service)
 * @param jvmOptions options for the worker JVMs (default: a small heap, C1 only, serial GC)
 * @param classPath the worker's class path; empty means the service's own classes, extracted from
 *     its jar when it runs from one (default empty)
 * @param plugins jar files from which workers also load Java job classes (default none)
 * @param directory where each worker gets a folder for its log and pid files (default {@code
 *     ./data/workers})
 * @param callbackUrl the URL workers call; empty means {@code http://127.0.0.1:<server.port>}
 * @param restartBackoff the first wait before a worker that died is replaced; it doubles while
 *     workers keep dying, up to {@code maxRestartBackoff} (default 1 s)
 * @param maxRestartBackoff the longest wait before a replacement (default 30 s)
 * @param stopTimeout how long stopping workers may take before they are killed (default 10 s)
 * @param maxCount the most workers an operator may resize the pool to while it runs (default 256)
 * @param maxJobProcesses the most processes one shell job runs at once; past it the job is killed
 *     and fails, so that a fork loop cannot starve the host (default 4096)
 * @param maxJobOutput how large a shell job's stdout or stderr file may grow; past it the job is
 *     killed and fails, and no more of it goes to the shared log (default 1GB)
 */
@ConfigurationProperties("pipewright.workers")
public record WorkerProperties(
    @DefaultValue("local") String launcher,
    @DefaultValue("0") int count,
    @DefaultValue("1s") Duration heartbeat,
    @DefaultValue("15s") Duration lease,
    @DefaultValue("60s") Duration unreachableExit,
    @DefaultValue("64") int maxBatch,
    @Nullable Path javaCommand,
    @DefaultValue({
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-Xmx64m",
          "-Xss512k",
          "-XX:MetaspaceSize=16m",
          "-Xshare:auto"
        })
        List<String> jvmOptions,
    @DefaultValue({}) List<Path> classPath,
    @DefaultValue({}) List<Path> plugins,
    @DefaultValue("./data/workers") Path directory,
    @Nullable URI callbackUrl,
    @DefaultValue("1s") Duration restartBackoff,
    @DefaultValue("30s") Duration maxRestartBackoff,
    @DefaultValue("10s") Duration stopTimeout,
    @DefaultValue("256") int maxCount,
    @DefaultValue("4096") int maxJobProcesses,
    @DefaultValue("1GB") DataSize maxJobOutput) {

  public WorkerProperties {
    if (maxJobProcesses < 2) {
      throw new IllegalArgumentException(
          "pipewright.workers.max-job-processes must be 2 or more: the job's shell and a command");
    }
    if (maxJobOutput.toBytes() < 1024) {
      throw new IllegalArgumentException("pipewright.workers.max-job-output must be 1KB or more");
    }
    if (maxCount < 1) {
      throw new IllegalArgumentException("pipewright.workers.max-count must be 1 or more");
    }
    if (count < 0 || count > maxCount) {
      throw new IllegalArgumentException(
          "pipewright.workers.count must be between 0 (one per core) and pipewright.workers"
              + ".max-count ("
              + maxCount
              + "), not "
              + count);
    }
  }

  /** The pool size with 0 resolved to the number of cores. */
  public int poolSize() {
    return count > 0 ? count : Runtime.getRuntime().availableProcessors();
  }
}
