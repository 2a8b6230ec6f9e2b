package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a worker's folder of pid files says: its fork shells, and the jobs they run. */
final class ShellPidFiles {

  private ShellPidFiles() {}

  /** The fork shells' pid files in {@code folder} ({@code PIPEWRIGHT_WORKER_DIR/jobs}). */
  static List<Path> in(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(file -> file.getFileName().toString().matches("shell-[0-9]+-[0-9]+\\.pid"))
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pid a pid file names, and the start it records (ms since epoch). */
  static long[] read(Path pidFile) throws IOException {
    String[] fields = Files.readString(pidFile).strip().split(" ");
    return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
  }

  /**
   * The job a fork shell of this folder runs now: the shell's one child (the subshell that runs the
   * command, or becomes it by exec); -1 while none runs.
   */
  static long runningJob(Path folder) {
    for (Path file : in(folder)) {
      try {
        long shell = read(file)[0];
        long job =
            ProcessHandle.of(shell)
                .flatMap(handle -> handle.children().findFirst())
                .map(ProcessHandle::pid)
                .orElse(-1L);
        if (job > 0) {
          return job;
        }
      } catch (IOException | RuntimeException e) {
        // Deleted or half written meanwhile: look at the next.
      }
    }
    return -1;
  }
}
