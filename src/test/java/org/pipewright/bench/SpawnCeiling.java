package org.pipewright.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How many {@code /bin/sh -c "echo x > file"} processes this machine can start and await per second
 * with nothing else running, one stream per core: the ceiling for any tool that gives each shell
 * job its own {@code /bin/sh -c}, measured here so that the shell jobs' rate can be read against
 * it. Once from this JVM (as a JVM would start a job itself), once from {@code /bin/sh} itself (the
 * cheapest a shell loop can do it); then as a worker's fork shell runs a job, a subshell of {@code
 * /bin/sh} that evals the command without an exec: the ceiling for a process per shell job.
 */
final class SpawnCeiling {

  static final int PER_STREAM = 300;

  private SpawnCeiling() {}

  static void print(Path root) throws Exception {
    Path dir = Files.createDirectories(root.resolve("spawn"));
    int streams = Runtime.getRuntime().availableProcessors();
    double fromJvm = rate(streams, i -> fromJvm(dir, i));
    double fromShell = rate(streams, i -> fromShell(dir, i, "/bin/sh -c"));
    double subshells = rate(streams, i -> fromShell(dir, i, "eval"));
    System.out.printf(
        "this machine, nothing else running, %d streams: /bin/sh -c started and awaited %.0f/s"
            + " from a JVM, %.0f/s from /bin/sh; a subshell that evals it %.0f/s (the ceiling for a"
            + " process per shell job)%n",
        streams, fromJvm, fromShell, subshells);
  }

  interface Stream {
    void run(int index) throws Exception;
  }

  /** Runs {@code streams} streams at once, each doing {@link #PER_STREAM} things; things per s. */
  static double rate(int streams, Stream stream) throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      int index = i;
      threads.add(
          Thread.ofPlatform()
              .start(() -> {
                try {
                  stream.run(index);
                } catch (Exception e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw failures.getFirst();
    }
    return streams * PER_STREAM * 1e9 / (System.nanoTime() - start);
  }

  /** As the worker's shell runner does it: files for stdin, stdout and stderr, a small env. */
  private static void fromJvm(Path dir, int index) throws Exception {
    File out = dir.resolve("stdout." + index).toFile();
    File err = dir.resolve("stderr." + index).toFile();
    for (int i = 0; i < PER_STREAM; i++) {
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", "echo x > jvm." + index + "." + (i % 10));
      builder.directory(dir.toFile());
      builder.redirectInput(new File("/dev/null"));
      builder.redirectOutput(out);
      builder.redirectError(err);
      builder.environment().clear();
      builder.environment().put("PATH", "/usr/bin:/bin");
      if (builder.start().waitFor() != 0) {
        throw new IllegalStateException("/bin/sh -c failed");
      }
    }
  }

  /**
   * In a loop of {@code /bin/sh}: {@code /bin/sh -c} started by it, or a subshell's {@code eval}.
   */
  private static void fromShell(Path dir, int index, String how) throws Exception {
    String run = how.equals("eval") ? "(eval %s)" : "/bin/sh -c %s";
    String loop =
        "i=0; while [ $i -lt %d ]; do ".formatted(PER_STREAM)
            + run.formatted("\"echo x > sh.%d.$((i %% 10))\"".formatted(index))
            + " </dev/null >/dev/null 2>&1; i=$((i+1)); done";
    Process process =
        new ProcessBuilder("/bin/sh", "-c", loop).directory(dir.toFile()).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the /bin/sh loop failed");
    }
  }
}
