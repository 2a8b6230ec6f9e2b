package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one shell job may take of its host before the worker kills it and fails it: how many
 * processes it runs at once ({@code PIPEWRIGHT_MAX_JOB_PROCESSES}, so that a fork loop is stopped
 * long before it starves the host), and how large its stdout and stderr files grow ({@code
 * PIPEWRIGHT_MAX_JOB_OUTPUT_BYTES}, so that a job printing without end does not fill the disk).
 *
 * @param maxProcesses the most processes of the job's session at once, its shell included
 * @param maxOutputBytes the largest either of its stdout and stderr files may grow
 */
record JobLimits(int maxProcesses, long maxOutputBytes) {

  static final int DEFAULT_MAX_PROCESSES = 4096;
  static final long DEFAULT_MAX_OUTPUT_BYTES = 1L << 30;

  static final JobLimits DEFAULT = new JobLimits(DEFAULT_MAX_PROCESSES, DEFAULT_MAX_OUTPUT_BYTES);

  /** The limits the launcher set, or the defaults. */
  static JobLimits of(Map<String, String> env) {
    return new JobLimits(
        (int)
            WorkerConfig.number(
                env, "PIPEWRIGHT_MAX_JOB_PROCESSES", DEFAULT_MAX_PROCESSES, 2, 1_000_000),
        WorkerConfig.number(
            env,
            "PIPEWRIGHT_MAX_JOB_OUTPUT_BYTES",
            DEFAULT_MAX_OUTPUT_BYTES,
            1024,
            Long.MAX_VALUE));
  }

  /**
   * What the running job exceeds, as its error says it, or null.
   *
   * @param session the worker's session: when it is its own, all the job's processes are in it,
   *     those whose parent died too; otherwise the shell's descendants are counted
   * @param processes whether to count its processes this time, or only measure its files
   */
  @Nullable String exceeded(
      ProcessHandle shell, WorkerSession session, boolean processes, Path stdout, Path stderr) {
    for (Path file : new Path[] {stdout, stderr}) {
      if (size(file) > maxOutputBytes) {
        return "wrote more than "
            + maxOutputBytes
            + " bytes to "
            + (file == stdout ? "stdout" : "stderr")
            + " (pipewright.workers.max-job-output); it was killed";
      }
    }
    if (!processes) {
      return null;
    }
    long running = session.owned() ? session.jobProcesses().size() : ProcessTree.size(shell);
    if (running > maxProcesses) {
      return "ran more than "
          + maxProcesses
          + " processes at once (pipewright.workers.max-job-processes); it was killed";
    }
    return null;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
