package org.pipewright.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real SLURM cluster the SLURM tests submit workers to: the one-node cluster {@code .ci/slurm}
 * starts, or any cluster whose partition has this host as its node. Without {@code sbatch} and
 * {@code squeue}, or with no node up, the tests skip, except under {@code CI=true}, where {@code
 * .ci/run} starts one and a skip would hide a broken launcher.
 */
final class SlurmCluster {

  private SlurmCluster() {}

  /**
   * Skips the calling test class when there is no cluster (fails under CI). Call it from a
   * {@code @BeforeAll}, which runs before Spring starts the launcher.
   */
  static void require() {
    String why = null;
    try {
      String states = run("sinfo", "--noheader", "--format=%t");
      if (states.lines().map(String::strip).noneMatch(Set.of("idle", "mix", "alloc")::contains)) {
        why = "no SLURM node is up (sinfo: " + states.strip() + ")";
      } else {
        run("squeue", "--noheader");
      }
    } catch (IOException e) {
      why = "no SLURM cluster: " + e.getMessage();
    }
    if (why == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(why + "; .ci/run starts one, so these tests must not be skipped");
    }
    Assumptions.abort(why + " (start one with .ci/slurm; under CI=true this fails)");
  }

  /** The ids of the jobs named {@code name} that squeue lists now (pending, running, ending). */
  static List<String> queued(String name) throws IOException {
    return run("squeue", "--noheader", "--name=" + name, "--format=%i")
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Runs a SLURM command (scancel, scontrol) and returns what it printed. */
  static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not answer in 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
    return output;
  }
}
