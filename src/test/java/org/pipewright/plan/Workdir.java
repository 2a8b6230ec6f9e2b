package org.pipewright.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real workdir in a temporary folder with a settable clock for file times, and a history in a
 * map: plans see real files, tests never sleep.
 */
final class Workdir implements JobHistory {

  private final Path root;
  private final Map<String, OutputRecord> records = new HashMap<>();
  private long clockSeconds = 1_700_000_000L;

  Workdir(Path root) {
    this.root = root;
  }

  /** Writes the files, each one second later than the previous, as completed jobs would. */
  Workdir built(String... paths) {
    for (String path : paths) {
      write(path);
      records.put(path, new OutputRecord(digestOf("touch {output}"), "", nanos(path)));
    }
    return this;
  }

  /** Writes the files without a history record, like a job that was interrupted. */
  Workdir written(String... paths) {
    for (String path : paths) {
      write(path);
    }
    return this;
  }

  Workdir delete(String path) {
    try {
      Files.delete(file(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Workdir record(String path, String actionDigest, String paramsDigest) {
    records.put(path, new OutputRecord(actionDigest, paramsDigest, nanos(path)));
    return this;
  }

  static String digestOf(String command) {
    return JobDigests.action(new org.pipewright.pipeline.Action.Shell(command));
  }

  Plan plan(org.pipewright.pipeline.PipelineDefinition definition, PlanRequest request) {
    return new Planner().plan(definition, new DiskFileState(root, "p"), this, request);
  }

  Plan plan(org.pipewright.pipeline.PipelineDefinition definition) {
    return plan(definition, PlanRequest.all());
  }

  @Override
  public Optional<OutputRecord> lookup(String path) {
    return Optional.ofNullable(records.get(path));
  }

  Path file(String path) {
    return root.resolve("p").resolve(path);
  }

  private void write(String path) {
    try {
      Path file = file(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, path);
      Files.setLastModifiedTime(
          file, FileTime.from(java.time.Instant.ofEpochSecond(++clockSeconds)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long nanos(String path) {
    try {
      return Files.getLastModifiedTime(file(path)).toInstant().getEpochSecond() * 1_000_000_000L;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
