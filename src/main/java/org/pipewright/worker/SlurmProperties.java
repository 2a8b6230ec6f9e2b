package org.pipewright.worker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Resources;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SLURM launcher ({@code pipewright.workers.launcher=slurm}): each worker is one SLURM job that
 * serves many pipeline jobs (a pilot job). How many run is {@code pipewright.workers.count}, as for
 * local workers; the settings below that are not set fall back to their {@code pipewright.workers}
 * namesakes, which the nodes must then see the same way.
 *
 * @param partition the partition workers are submitted to (default: the cluster's default)
 * @param cpus the cores each worker asks for ({@code --cpus-per-task}) and offers its jobs (default
 *     1)
 * @param memory the memory each worker asks for ({@code --mem}) and offers its jobs, as sbatch
 *     writes it: {@code 512M}, {@code 2G} (default 2G)
 * @param timeLimit the wall time of each worker ({@code --time}); one that reaches it is replaced,
 *     and the jobs it ran are retried (default: the partition's)
 * @param account the account workers are charged to ({@code --account}; default: the user's)
 * @param options more sbatch options, one {@code #SBATCH} line each, e.g. {@code --qos=short}
 *     (default none)
 * @param groups workers of other sizes besides the {@code count} above, e.g. two big ones for the
 *     tasks that ask for many cores (default none)
 * @param callbackUrl the URL workers call back on, as the nodes reach this service (default {@code
 *     pipewright.workers.callback-url}; then {@code http://127.0.0.1:<server.port>}, allowed only
 *     when every node of the partition is this host)
 * @param classPath the worker's class path on the shared file system (default {@code
 *     pipewright.workers.class-path}; then a jar of the service's own worker classes written to
 *     {@code directory})
 * @param javaCommand the {@code java} on the nodes (default {@code
 *     pipewright.workers.java-command}; then the one running the service)
 * @param directory where each worker gets a folder (its sbatch script, its log, the pid files of
 *     its shells); it must be on a file system the nodes share (default {@code
 *     pipewright.workers.directory})
 * @param pollInterval how often {@code squeue} is asked about the workers (default 5 s)
 * @param jobName the SLURM job name of every worker, as {@code squeue} shows it (default {@code
 *     pipewright-worker})
 */
@ConfigurationProperties("pipewright.slurm")
public record SlurmProperties(
    @Nullable String partition,
    @DefaultValue("1") int cpus,
    @DefaultValue("2G") String memory,
    @Nullable Duration timeLimit,
    @Nullable String account,
    @DefaultValue({}) List<String> options,
    @DefaultValue({}) List<Group> groups,
    @Nullable URI callbackUrl,
    @DefaultValue({}) List<Path> classPath,
    @Nullable Path javaCommand,
    @Nullable Path directory,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("pipewright-worker") String jobName) {

  public SlurmProperties {
    options = List.copyOf(options);
    groups = List.copyOf(groups);
    classPath = List.copyOf(classPath);
    check(cpus, memory, options, "pipewright.slurm");
    for (int i = 0; i < groups.size(); i++) {
      Group group = groups.get(i);
      check(group.cpus(), group.memory(), group.options(), "pipewright.slurm.groups[" + i + "]");
    }
    if (timeLimit != null && timeLimit.toSeconds() < 60) {
      throw new IllegalArgumentException("pipewright.slurm.time-limit must be a minute or more");
    }
    if (pollInterval.toMillis() < 100) {
      throw new IllegalArgumentException("pipewright.slurm.poll-interval must be 100ms or more");
    }
    if (!jobName.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "pipewright.slurm.job-name must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
  }

  /**
   * Workers of one size.
   *
   * @param count how many (default 1)
   * @param cpus the cores each asks for and offers (default 1)
   * @param memory the memory each asks for and offers, as sbatch writes it (default 2G)
   * @param partition their partition (default: {@code pipewright.slurm.partition})
   * @param options more sbatch options, after {@code pipewright.slurm.options} (default none)
   */
  public record Group(
      @DefaultValue("1") int count,
      @DefaultValue("1") int cpus,
      @DefaultValue("2G") String memory,
      @Nullable String partition,
      @DefaultValue({}) List<String> options) {

    public Group {
      options = List.copyOf(options);
      if (count < 0) {
        throw new IllegalArgumentException("a group's count cannot be negative: " + count);
      }
    }

    /** What each worker of the group offers its jobs. */
    public Resources offer() {
      return new Resources(cpus, Resources.parseMemory(memory));
    }
  }

  /**
   * Every group of workers the launcher keeps: {@code count} of the top-level size, then the extra
   * groups, with what they do not set taken from the top level.
   */
  public List<Group> pools(int count) {
    List<Group> pools = new java.util.ArrayList<>();
    pools.add(new Group(count, cpus, memory, partition, List.of()));
    for (Group group : groups) {
      pools.add(
          new Group(
              group.count(),
              group.cpus(),
              group.memory(),
              group.partition() != null ? group.partition() : partition,
              group.options()));
    }
    return pools.stream().filter(group -> group.count() > 0).toList();
  }

  private static void check(int cpus, String memory, List<String> options, String at) {
    if (cpus < 1) {
      throw new IllegalArgumentException(at + ".cpus must be 1 or more, not " + cpus);
    }
    try {
      Resources.parseMemory(memory);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ".memory: " + e.getMessage(), e);
    }
    for (String option : options) {
      if (!option.startsWith("-") || option.contains("\n") || option.contains("\r")) {
        throw new IllegalArgumentException(
            at + ".options: each is one sbatch option starting with '-', not '" + option + "'");
      }
    }
  }
}
