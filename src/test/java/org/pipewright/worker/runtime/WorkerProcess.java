package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real worker JVM, forked as the local launcher forks one: lean flags, settings in the
 * environment, stderr to a file.
 */
final class WorkerProcess implements AutoCloseable {

  final Process process;
  final Path workspace;
  final Path workerDir;
  final Path log;

  private WorkerProcess(Process process, Path workspace, Path workerDir, Path log) {
    this.process = process;
    this.workspace = workspace;
    this.workerDir = workerDir;
    this.log = log;
  }

  static WorkerProcess start(Path temp, String url, Map<String, String> extraEnv) {
    try {
      Path workspace = Files.createDirectories(temp.resolve("workspace"));
      Path workerDir = temp.resolve("worker");
      Path log = temp.resolve("worker.log");
      ProcessBuilder builder =
          new ProcessBuilder(
              javaCommand(),
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Xmx64m",
              "-cp",
              classPath(),
              WorkerMain.class.getName());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("PIPEWRIGHT_"));
      env.put("PIPEWRIGHT_URL", url);
      env.put("PIPEWRIGHT_LAUNCH_TOKEN", FakeControlPlane.LAUNCH_TOKEN);
      env.put("PIPEWRIGHT_WORKSPACE", workspace.toString());
      env.put("PIPEWRIGHT_WORKER_DIR", workerDir.toString());
      env.put("PIPEWRIGHT_LEASE_WAIT_MS", "2000");
      env.putAll(extraEnv);
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      return new WorkerProcess(builder.start(), workspace, workerDir, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The worker's classes and the tests' (for the test jobs); nothing else. */
  static String classPath() {
    try {
      return String.join(
          ":",
          List.of(
              Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                  .toString(),
              Path.of(TestJobs.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                  .toString()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Its pid files: one per fork shell it runs. */
  List<Path> shellPidFiles() {
    return ShellPidFiles.in(workerDir.resolve("jobs"));
  }

  /** The pid of the shell job it runs now, or -1 while none runs. */
  long jobPid() {
    return ShellPidFiles.runningJob(workerDir.resolve("jobs"));
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
