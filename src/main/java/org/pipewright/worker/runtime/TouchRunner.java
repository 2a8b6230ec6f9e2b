package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.LongSupplier;

/** {@code touch}: creates every output, or sets its modification time to now. */
final class TouchRunner implements JobRunner {

  private final LongSupplier wall;

  TouchRunner(LongSupplier wall) {
    this.wall = wall;
  }

  @Override
  public RunResult run(Attempt attempt, JobFiles files) {
    FileTime now = FileTime.fromMillis(wall.getAsLong());
    for (Path output : files.outputs) {
      try {
        touch(output, now);
      } catch (IOException e) {
        return RunResult.failed(null, "could not touch " + output.getFileName() + ": " + e);
      }
    }
    return RunResult.OK;
  }

  private static void touch(Path file, FileTime now) throws IOException {
    if (Files.exists(file)) {
      Files.setLastModifiedTime(file, now);
      return;
    }
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      Files.setLastModifiedTime(file, now);
    }
  }
}
