package org.pipewright.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.pipewright.sdk.Job;
import org.pipewright.sdk.JobContext;

/**
 * Does nothing but leave each of its outputs as an empty file, so the worker's output check passes:
 * what the throughput benchmark runs to measure the cost of a job around its work.
 */
public final class NoopJob implements Job {

  /** Made by the worker, one instance per attempt. */
  public NoopJob() {}

  @Override
  public void run(JobContext context) throws IOException {
    for (Path output : context.outputs()) {
      Files.newByteChannel(
              output,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)
          .close();
    }
  }
}
