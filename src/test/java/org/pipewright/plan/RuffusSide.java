package org.pipewright.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a case's {@code pipeline.py} with the system's Ruffus and reads back the jobs it ran. Each
 * run is a fresh {@code /usr/bin/python3} in the case's folder, so Ruffus decides from the files
 * and its {@code .ruffus_history.sqlite} alone, as between two real runs.
 */
final class RuffusSide {

  /** Debian's python3-ruffus installs here, not into the pyenv Python that may be first on PATH. */
  static final String PYTHON = "/usr/bin/python3";

  static final String PINNED_VERSION = "2.8.4";

  private static final long TIMEOUT_SECONDS = 60;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RuffusSide() {}

  /** Why Ruffus cannot be used here, or empty when {@value #PYTHON} imports Ruffus 2.8.4. */
  static Optional<String> unavailable() {
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import ruffus; print(ruffus.__version__)")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of(PYTHON + " cannot import ruffus: " + out);
      }
      return out.equals(PINNED_VERSION)
          ? Optional.empty()
          : Optional.of(
              "the parity cases pin Ruffus " + PINNED_VERSION + ", " + PYTHON + " has " + out);
    } catch (IOException e) {
      return Optional.of("cannot start " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  static ParityPhases run(ParityCase c, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.copy(
        c.dir().resolve("pipeline.py"),
        dir.resolve("pipeline.py"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        ParityCase.root().resolve("ruffus_case.py"),
        dir.resolve("ruffus_case.py"),
        StandardCopyOption.REPLACE_EXISTING);
    c.createSetupFiles(dir, Instant.now());
    List<RecordedJob> first = runOnce(dir, "first");
    List<RecordedJob> unchanged = runOnce(dir, "unchanged");
    List<RecordedJob> touched = List.of();
    if (c.touched().isPresent()) {
      // Later than every completion time Ruffus recorded: those were taken before python exited.
      ParityCase.touch(dir.resolve(c.touched().get()), Instant.now());
      touched = runOnce(dir, "touched");
    }
    return new ParityPhases(first, unchanged, touched, ParityCase.files(dir));
  }

  private static List<RecordedJob> runOnce(Path dir, String phase)
      throws IOException, InterruptedException {
    Path log = dir.resolveSibling(dir.getFileName() + "." + phase + ".log");
    ProcessBuilder builder = new ProcessBuilder(PYTHON, "pipeline.py").directory(dir.toFile());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "Ruffus took over " + TIMEOUT_SECONDS + " s in " + dir + " (" + phase + ")");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "Ruffus failed in " + dir + " (" + phase + "):\n" + Files.readString(log));
    }
    Path jobs = dir.resolve("jobs.jsonl");
    if (!Files.exists(jobs)) {
      return List.of();
    }
    List<RecordedJob> recorded =
        Files.readAllLines(jobs).stream()
            .map(line -> JSON.readValue(line, RecordedJob.class))
            .toList();
    Files.delete(jobs);
    return recorded;
  }
}
