package org.pipewright.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pipewright.sdk.HeldLock;
import org.pipewright.sdk.Job;
import org.pipewright.sdk.JobContext;

/**
 * Shared state across jobs, as Ruffus's documentation warns it needs a lock: under the shared lock
 * {@code counter}, adds one to the number in the file its first extra names (relative to the
 * workdir; a missing file counts as 0) and writes an entry of as many lines as its second extra
 * says (default 3) to the shared log. Then it writes its outputs. Without the lock, parallel jobs
 * would lose increments; with it, the count always equals the number of jobs.
 *
 * <pre>{@code
 * - name: count
 *   originate: {output: [a.done, b.done, c.done], extras: [counter.txt, 3]}
 *   java: org.pipewright.examples.LockedCounterJob
 * }</pre>
 */
public final class LockedCounterJob implements Job {

  /** Made by the worker, one instance per attempt. */
  public LockedCounterJob() {}

  @Override
  public void run(JobContext context) throws IOException, InterruptedException {
    if (context.extras().isEmpty()) {
      throw new IllegalArgumentException("extras[0] must name the counter file");
    }
    Path counter = context.workdir().resolve(context.extras().get(0)).normalize();
    if (!counter.startsWith(context.workdir())) {
      throw new IllegalArgumentException("the counter file must be inside the workdir");
    }
    int lines = context.extras().size() > 1 ? Integer.parseInt(context.extras().get(1)) : 3;
    long value;
    try (HeldLock held = context.lock("counter")) {
      value = Files.exists(counter) ? Long.parseLong(Files.readString(counter).strip()) : 0;
      value++;
      Files.writeString(counter, value + "\n", StandardCharsets.UTF_8);
      for (int line = 1; line <= lines; line++) {
        context
            .log()
            .info(
                "job " + context.jobId() + " counted " + value + ", line " + line + " of " + lines);
      }
    }
    for (Path output : context.outputs()) {
      Files.writeString(output, value + "\n", StandardCharsets.UTF_8);
    }
  }
}
