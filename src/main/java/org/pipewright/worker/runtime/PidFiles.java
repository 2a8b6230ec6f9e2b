package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code PIPEWRIGHT_WORKER_DIR/jobs/<jobId>-<attempt>.pid}, one per running shell job, holding
 * {@code <pid> <process start, ms since epoch>}: what a launcher that sees this worker die needs to
 * kill what it left behind, and to be sure the pid was not reused meanwhile (compare the start with
 * {@code ProcessHandle.of(pid).info().startInstant()}).
 */
final class PidFiles {

  private final Path folder;

  PidFiles(Path workerDir) throws IOException {
    this.folder = workerDir.resolve("jobs");
    JobFiles.ensureFolder(folder);
  }

  Path folder() {
    return folder;
  }

  Path write(AttemptId id, ProcessHandle process, long fallbackStart) throws IOException {
    Optional<Instant> start = process.info().startInstant();
    long startMillis = start.isPresent() ? start.get().toEpochMilli() : fallbackStart;
    Path file = folder.resolve(id.jobId() + "-" + id.attempt() + ".pid");
    Files.write(
        file, (process.pid() + " " + startMillis + "\n").getBytes(StandardCharsets.US_ASCII));
    return file;
  }
}
