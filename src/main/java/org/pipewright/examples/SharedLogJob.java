package org.pipewright.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.pipewright.sdk.HeldLock;
import org.pipewright.sdk.Job;
import org.pipewright.sdk.JobContext;

/**
 * Ruffus's {@code task1} from "How to share data across jobs": under the {@code logging} lock it
 * logs which process it runs in, then does its "hard task", writing {@code line 1} to {@code line
 * 100} to its first output (the demo pipeline splits that into chunks of ten lines).
 *
 * <pre>{@code
 * with logging_mutex:
 *     logger_proxy.debug("task1, process name = %s" % multiprocessing.current_process().name)
 * do_some_hard_task(outfile)
 * }</pre>
 */
public final class SharedLogJob implements Job {

  /** How many numbered lines the output gets. */
  public static final int LINES = 100;

  /** Made by the worker, one instance per attempt. */
  public SharedLogJob() {}

  @Override
  public void run(JobContext context) throws IOException, InterruptedException {
    try (HeldLock held = context.lock("logging")) {
      context.log().debug("task1, process name = " + processName());
      context.log().info("task1 writes " + LINES + " lines to " + context.output(0).getFileName());
    }
    try (BufferedWriter out = Files.newBufferedWriter(context.output(0), StandardCharsets.UTF_8)) {
      for (int i = 1; i <= LINES; i++) {
        out.write("line " + i);
        out.newLine();
      }
    }
  }

  /** Ruffus prints the pool process's name; a worker JVM is named by its pid and host. */
  static String processName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return ProcessHandle.current().pid() + "@" + host;
  }
}
