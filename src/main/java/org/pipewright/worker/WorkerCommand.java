package org.pipewright.worker;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every worker starts with, whichever launcher starts it: the lean {@code java} command line
 * and the settings of docs/worker-protocol.md, "Launch", except the launch token, which each
 * launcher hands over its own way.
 */
final class WorkerCommand {

  private WorkerCommand() {}

  /** The configured {@code java}, or the one running the service. */
  static Path java(@Nullable Path configured) {
    return configured != null
        ? configured
        : Path.of(ProcessHandle.current().info().command().orElse("java"));
  }

  /**
   * The command line.
   *
   * @param sharedArchive the class data sharing archive the workers write and start from, or null
   *     for none
   */
  static List<String> line(
      Path java, List<String> jvmOptions, @Nullable Path sharedArchive, List<Path> classPath) {
    List<String> line = new ArrayList<>();
    line.add(java.toString());
    line.addAll(jvmOptions);
    if (sharedArchive != null) {
      // Class data sharing: the first worker writes the archive, the others start from it.
      line.add("-XX:SharedArchiveFile=" + sharedArchive);
      line.add("-XX:+AutoCreateSharedArchive");
      line.add("-Xlog:cds=off"); // dumping the archive warns about every class it skips
    }
    line.add("-cp");
    line.add(String.join(":", classPath.stream().map(Path::toString).toList()));
    line.add(WorkerClasspath.MAIN);
    return List.copyOf(line);
  }

  /** The {@code PIPEWRIGHT_*} settings of a worker whose own folder is {@code folder}. */
  static Map<String, String> settings(
      URI callback, Path workspace, Path folder, WorkerProperties properties) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PIPEWRIGHT_URL", callback.toString());
    env.put("PIPEWRIGHT_WORKSPACE", workspace.toString());
    env.put("PIPEWRIGHT_WORKER_DIR", folder.toString());
    env.put("PIPEWRIGHT_UNREACHABLE_MS", String.valueOf(properties.unreachableExit().toMillis()));
    env.put("PIPEWRIGHT_MAX_BATCH", String.valueOf(properties.maxBatch()));
    env.put("PIPEWRIGHT_MAX_JOB_PROCESSES", String.valueOf(properties.maxJobProcesses()));
    env.put("PIPEWRIGHT_MAX_JOB_OUTPUT_BYTES", String.valueOf(properties.maxJobOutput().toBytes()));
    if (!properties.plugins().isEmpty()) {
      env.put(
          "PIPEWRIGHT_PLUGINS",
          String.join(
              ":", properties.plugins().stream().map(p -> p.toAbsolutePath().toString()).toList()));
    }
    return env;
  }

  /** The variables of {@code from} that {@code names} allows: nothing else (no secrets) passes. */
  static Map<String, String> allowed(Map<String, String> from, List<String> names) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : names) {
      if (from.containsKey(name)) {
        env.put(name, from.get(name));
      }
    }
    return env;
  }
}
