package org.pipewright.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One folder under {@code src/test/resources/ruffus-parity}: {@code pipeline.yaml} (Pipewright),
 * {@code pipeline.py} (the same pipeline with Ruffus decorators), optionally {@code setup.txt}
 * (files to create first, one per line) and {@code touch.txt} (the file to make newer in the last
 * phase; by default the first setup file). A {@code known-divergence.txt} says why Pipewright
 * differs from Ruffus on purpose or until a fix: the case is then skipped with that reason, and
 * fails once the two sides agree, so the file cannot outlive the divergence.
 */
record ParityCase(
    String name,
    Path dir,
    List<String> setup,
    Optional<String> touched,
    Optional<String> knownDivergence) {

  /** Files of the harness, not of the pipeline, left out when the two workdirs are compared. */
  static final Set<String> HARNESS_FILES =
      Set.of("pipeline.py", "ruffus_case.py", "jobs.jsonl", ".ruffus_history.sqlite");

  static Path root() {
    try {
      return Path.of(ParityCase.class.getResource("/ruffus-parity").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<ParityCase> all() {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(d -> Files.exists(d.resolve("pipeline.yaml")))
          .sorted()
          .map(ParityCase::load)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ParityCase load(Path dir) {
    List<String> setup = lines(dir.resolve("setup.txt"));
    Optional<String> touched =
        lines(dir.resolve("touch.txt")).stream().findFirst().or(() -> setup.stream().findFirst());
    Optional<String> divergence =
        Optional.of(String.join(" ", lines(dir.resolve("known-divergence.txt"))))
            .filter(t -> !t.isEmpty());
    return new ParityCase(dir.getFileName().toString(), dir, setup, touched, divergence);
  }

  byte[] yaml() {
    try {
      return Files.readAllBytes(dir.resolve("pipeline.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the setup files in a workdir, each with the given time. */
  void createSetupFiles(Path workdir, Instant time) {
    for (String path : setup) {
      touch(workdir.resolve(path), time);
    }
  }

  static void touch(Path file, Instant time) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      Files.setLastModifiedTime(file, FileTime.from(time));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under a workdir, relative and with {@code /}, harness files left out. */
  static Set<String> files(Path workdir) {
    if (!Files.isDirectory(workdir)) {
      return Set.of(); // a pipeline that makes no files may leave no workdir either
    }
    try (Stream<Path> walk = Files.walk(workdir)) {
      Set<String> files = new TreeSet<>();
      walk.filter(Files::isRegularFile)
          .map(p -> workdir.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !HARNESS_FILES.contains(p) && !p.startsWith("__pycache__/"))
          .forEach(files::add);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
