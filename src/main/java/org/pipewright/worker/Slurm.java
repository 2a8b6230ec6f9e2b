package org.pipewright.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The SLURM commands the launcher needs ({@code sbatch}, {@code squeue}, {@code sacct}, {@code
 * scancel}, {@code sinfo}), each run as a process with an allow-listed environment and a time
 * limit, and what their output means. They are found on the {@code PATH}.
 */
class Slurm {

  /** What sbatch, and so the jobs it submits, inherit from the service: no secrets. */
  static final List<String> ENV =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "SLURM_CONF");

  /** Job states after which the job's processes are gone. */
  static final Set<String> ENDED =
      Set.of(
          "BOOT_FAIL",
          "CANCELLED",
          "COMPLETED",
          "DEADLINE",
          "FAILED",
          "NODE_FAIL",
          "OUT_OF_MEMORY",
          "PREEMPTED",
          "REVOKED",
          "SPECIAL_EXIT",
          "TIMEOUT");

  private static final Set<String> WAITING =
      Set.of("PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "REQUEUED_HOLD");

  /**
   * A SLURM job as squeue or sacct tells it.
   *
   * @param id the job id
   * @param state its state, {@code RUNNING}, {@code PENDING}, {@code COMPLETED}...
   * @param reason why it is in that state ({@code Resources}, {@code NonZeroExitCode}), or the exit
   *     code sacct gives
   * @param restarts how often SLURM requeued it
   */
  record Job(String id, String state, String reason, int restarts) {

    /** Its processes are gone: it ended one way or another. */
    boolean ended() {
      return ENDED.contains(state);
    }

    /** It waits to run again after it ran: SLURM requeued it. */
    boolean requeued() {
      return (restarts > 0 && WAITING.contains(state)) || state.startsWith("REQUEUE");
    }

    boolean running() {
      return state.equals("RUNNING");
    }

    /** Its state and why, as a message says it: {@code FAILED (NonZeroExitCode)}. */
    @Override
    public String toString() {
      return state + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
  }

  /** A SLURM command that failed, with what it printed. */
  static final class SlurmException extends RuntimeException {
    SlurmException(String message) {
      super(message);
    }
  }

  private final Map<String, String> env;
  private final Duration timeout;
  private final Executor readers = task -> Thread.ofVirtual().start(task);

  Slurm(Map<String, String> serviceEnv, Duration timeout) {
    this.env = WorkerCommand.allowed(serviceEnv, ENV);
    this.timeout = timeout;
  }

  /** Submits a batch script and returns the job id. */
  String sbatch(Path script) {
    return parseSbatch(run(List.of("sbatch", "--parsable", script.toString()), script.getParent()));
  }

  /** The jobs of {@code user} named {@code jobName}, recently ended ones included, by id. */
  Map<String, Job> squeue(String user, String jobName) {
    return parseSqueue(
        run(
            List.of(
                "squeue",
                "--noheader",
                "--states=all",
                "--user=" + user,
                "--name=" + jobName,
                "--Format=JobID:|,State:|,Reason:|,RestartCnt:|"),
            null));
  }

  /**
   * How a job that squeue no longer knows ended, from the accounting database; empty when the
   * cluster keeps no accounts or has forgotten the job.
   */
  Optional<Job> sacct(String jobId) {
    try {
      return parseSacct(
          run(
              List.of(
                  "sacct",
                  "--noheader",
                  "--parsable2",
                  "--jobs=" + jobId,
                  "--format=JobID,State,ExitCode"),
              null),
          jobId);
    } catch (SlurmException e) {
      return Optional.empty(); // "Slurm accounting storage is disabled", for one
    }
  }

  /** Cancels jobs; one that already ended is no error. */
  void scancel(Collection<String> jobIds) {
    scancel(jobIds, null, null);
  }

  /** Cancels those of the jobs that belong to {@code user} and are named {@code jobName}. */
  void scancel(Collection<String> jobIds, @Nullable String user, @Nullable String jobName) {
    if (jobIds.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add("scancel");
    if (user != null) {
      command.add("--user=" + user);
    }
    if (jobName != null) {
      command.add("--name=" + jobName);
    }
    command.addAll(jobIds);
    try {
      run(command, null);
    } catch (SlurmException e) {
      if (!e.getMessage().contains("Invalid job id") && !e.getMessage().contains("already")) {
        throw e;
      }
    }
  }

  /** The nodes of a partition, or of every partition when it is null. */
  List<String> nodes(@Nullable String partition) {
    List<String> command = new ArrayList<>(List.of("sinfo", "--noheader", "--Node", "--format=%N"));
    if (partition != null) {
      command.add("--partition=" + partition);
    }
    return run(command, null).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code 1234} or {@code 1234;cluster}, as {@code sbatch --parsable} prints it. */
  static String parseSbatch(String output) {
    String line = output.strip();
    int semicolon = line.indexOf(';');
    String id = semicolon >= 0 ? line.substring(0, semicolon) : line;
    if (!id.matches("[0-9]+")) {
      throw new SlurmException("sbatch printed no job id: " + output.strip());
    }
    return id;
  }

  /** Lines {@code id|state|reason|restarts|}, as the squeue call above prints them. */
  static Map<String, Job> parseSqueue(String output) {
    Map<String, Job> jobs = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      String[] fields = line.strip().split("\\|", -1);
      if (fields.length < 4 || fields[0].isBlank()) {
        continue;
      }
      int restarts;
      try {
        restarts = Integer.parseInt(fields[3].strip());
      } catch (NumberFormatException e) {
        restarts = 0;
      }
      String id = fields[0].strip();
      jobs.put(id, new Job(id, fields[1].strip(), reason(fields[2]), restarts));
    }
    return jobs;
  }

  /**
   * Lines {@code id|state|exit code}: the job's own line, not its steps' ({@code 1234.batch}); a
   * state may carry who did it ({@code CANCELLED by 0}).
   */
  static Optional<Job> parseSacct(String output, String jobId) {
    for (String line : output.lines().toList()) {
      String[] fields = line.strip().split("\\|", -1);
      if (fields.length >= 3 && fields[0].equals(jobId)) {
        String state = fields[1].strip().split("\\s+")[0];
        return Optional.of(new Job(jobId, state, "exit code " + fields[2].strip(), 0));
      }
    }
    return Optional.empty();
  }

  private static String reason(String field) {
    String reason = field.strip();
    return reason.equals("None") ? "" : reason;
  }

  private String run(List<String> command, @Nullable Path directory) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new SlurmException("could not run " + command.getFirst() + ": " + e.getMessage());
    }
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new SlurmException(
            command.getFirst() + " did not answer within " + timeout.toSeconds() + " s");
      }
      String stdout = out.get(5, TimeUnit.SECONDS);
      String stderr = err.get(5, TimeUnit.SECONDS);
      if (process.exitValue() != 0) {
        throw new SlurmException(
            String.join(" ", command)
                + " failed with status "
                + process.exitValue()
                + ": "
                + (stderr.isBlank() ? stdout : stderr).strip());
      }
      return stdout;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SlurmException(command.getFirst() + " was interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new SlurmException("could not read what " + command.getFirst() + " printed: " + e);
    }
  }

  private CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        readers);
  }
}
