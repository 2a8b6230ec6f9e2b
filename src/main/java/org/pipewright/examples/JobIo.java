package org.pipewright.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pipewright.sdk.HeldLock;
import org.pipewright.sdk.Job;
import org.pipewright.sdk.JobContext;

/**
 * Ruffus's {@code test_job_io} from {@code simpler_with_shared_logging.py}: under the shared lock
 * {@code logging} it writes one entry to the shared log saying which job it is and which process
 * runs it, then writes each output as the sorted contents of its inputs followed by a line {@code
 * ["a.1"] -> ["a.2"]}.
 *
 * <pre>{@code
 * with logging_mutex:
 *     logger_proxy.debug("job = %s, process name = %s" % (json.dumps(params), process_name))
 * }</pre>
 *
 * The entry is two lines, where Ruffus's is one, so the log shows the lock keeping them together.
 */
public final class JobIo implements Job {

  /** Made by the worker, one instance per attempt. */
  public JobIo() {}

  @Override
  public void run(JobContext context) throws IOException, InterruptedException {
    List<String> inputs = names(context, context.inputs());
    List<String> outputs = names(context, context.outputs());
    try (HeldLock held = context.lock("logging")) {
      context.log().debug("job = [" + json(inputs) + ", " + json(outputs) + "]");
      context.log().debug("process name = " + SharedLogJob.processName());
    }
    List<String> contents = new ArrayList<>();
    for (Path input : context.inputs()) {
      contents.add(Files.readString(input, StandardCharsets.UTF_8));
    }
    contents.sort(null);
    String text = String.join("", contents) + json(inputs) + " -> " + json(outputs) + "\n";
    for (Path output : context.outputs()) {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    }
  }

  private static List<String> names(JobContext context, List<Path> paths) {
    List<String> names = new ArrayList<>(paths.size());
    for (Path path : paths) {
      names.add(context.workdir().relativize(path).toString());
    }
    return names;
  }

  /** A JSON array of strings, as Python's {@code json.dumps} prints a list of file names. */
  private static String json(List<String> names) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < names.size(); i++) {
      out.append(i == 0 ? "\"" : ", \"");
      for (char c : names.get(i).toCharArray()) {
        if (c == '"' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
      }
      out.append('"');
    }
    return out.append(']').toString();
  }
}
