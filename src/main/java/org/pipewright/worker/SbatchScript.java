package org.pipewright.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Resources;

/**
 * The batch script of one SLURM worker: {@code #SBATCH} lines from the properties, then the same
 * worker main with the same settings as a local worker. It holds no secret (SLURM keeps a copy of
 * every batch script): the launch token is in a file of the worker's folder that only its owner
 * reads, and which the worker deletes once read.
 *
 * @param workerId the worker's id, for the reader of the script
 * @param jobName the SLURM job name
 * @param offer the cores and memory it asks for
 * @param partition its partition, or null for the cluster's default
 * @param timeLimit its wall time, or null for the partition's
 * @param account its account, or null for the user's
 * @param options more sbatch options, one line each
 * @param folder the worker's own folder: its log, the pid files of its shells
 * @param settings the {@code PIPEWRIGHT_*} variables, the token file's among them
 * @param command the {@code java} command line
 */
record SbatchScript(
    long workerId,
    String jobName,
    Resources offer,
    @Nullable String partition,
    @Nullable Duration timeLimit,
    @Nullable String account,
    List<String> options,
    Path folder,
    Map<String, String> settings,
    List<String> command) {

  /** The file a worker's log goes to, in its folder. */
  static final String LOG = "worker.log";

  /** The script's text. */
  String text() {
    StringBuilder s = new StringBuilder(2048);
    s.append("#!/bin/bash\n");
    s.append("# Pipewright worker ")
        .append(workerId)
        .append(", submitted by its SLURM launcher.\n");
    sbatch(s, "--job-name=" + jobName);
    sbatch(s, "--ntasks=1");
    sbatch(s, "--cpus-per-task=" + offer.cpus());
    sbatch(s, "--mem=" + offer.memoryMb() + "M");
    if (partition != null) {
      sbatch(s, "--partition=" + partition);
    }
    if (timeLimit != null) {
      sbatch(s, "--time=" + time(timeLimit));
    }
    if (account != null) {
      sbatch(s, "--account=" + account);
    }
    sbatch(s, "--chdir=" + folder);
    sbatch(s, "--output=" + folder.resolve(LOG));
    sbatch(s, "--open-mode=append");
    options.forEach(option -> sbatch(s, option));
    s.append(
        """
        # SLURM requeued this job (a node failed, or someone ran scontrol requeue): the launcher
        # has counted this worker lost and submitted a fresh one, and its launch token is spent.
        if [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ]; then
          echo "requeued (restart $SLURM_RESTART_COUNT): a fresh worker replaces this one" >&2
          exit 0
        fi
        """);
    settings.forEach((name, value) ->
        s.append("export ").append(name).append('=').append(quote(value)).append('\n'));
    s.append("exec");
    command.forEach(word -> s.append(' ').append(quote(word)));
    s.append('\n');
    return s.toString();
  }

  private static void sbatch(StringBuilder s, String option) {
    s.append("#SBATCH ").append(option).append('\n');
  }

  /** A word for bash, single-quoted. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** A wall time as {@code --time} reads it, {@code days-hours:minutes:seconds}. */
  static String time(Duration limit) {
    long s = limit.toSeconds();
    return String.format(
        java.util.Locale.ROOT, "%d-%02d:%02d:%02d", s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
  }
}
