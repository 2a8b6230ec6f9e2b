package org.pipewright.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.pipewright.plan.PlannedTask.TaskState;

/**
 * Prints a plan the way Ruffus's {@code pipeline_printout(verbose=4)} does, so users of Ruffus read
 * it at a glance: up-to-date tasks first, then each task that will run with its jobs and why.
 */
public final class PlanPrinter {

  private static final String RULE = "_".repeat(40);

  /** Jobs listed in full; past this the printout counts them (the JSON plan pages through all). */
  static final int MAX_LISTED = 10_000;

  private PlanPrinter() {}

  public static String print(Plan plan) {
    StringBuilder out = new StringBuilder();
    print(plan, out);
    return out.toString();
  }

  /** Writes to any appendable, so a plan of a million jobs can stream to a response. */
  public static void print(Plan plan, Appendable out) {
    try {
      out.append('\n').append(RULE).append("\nTasks which are up-to-date:\n\n");
      for (PlannedTask task : plan.tasks()) {
        if (task.state() == TaskState.UP_TO_DATE) {
          out.append("Task = '").append(task.name()).append("'\n");
        }
      }
      out.append('\n').append(RULE).append("\nTasks which will be run:\n\n");
      int next = 0;
      int[] listed = {0};
      List<PlannedJob> jobs = plan.jobs();
      for (PlannedTask task : plan.tasks()) {
        int end = next;
        while (end < jobs.size() && jobs.get(end).task().equals(task.name())) {
          end++;
        }
        if (task.state() == TaskState.WILL_RUN) {
          printTask(task, jobs.subList(next, end), out, listed);
        } else if (task.state() == TaskState.DEFERRED) {
          out.append("Task = '").append(task.name()).append("'\n");
          out.append("       Jobs known after the split or subdivide it reads from has run\n\n");
        }
        next = end;
      }
      out.append(RULE).append('\n');
      Plan.Summary s = plan.summary();
      out.append(String.valueOf(s.jobs()))
          .append(" jobs: ")
          .append(String.valueOf(s.willRun()))
          .append(" to run, ")
          .append(String.valueOf(s.upToDate()))
          .append(" up to date");
      if (s.deferredTasks() > 0) {
        out.append(", ").append(String.valueOf(s.deferredTasks())).append(" tasks deferred");
      }
      out.append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void printTask(
      PlannedTask task, List<PlannedJob> jobs, Appendable out, int[] listed) throws IOException {
    out.append("Task = '")
        .append(task.name())
        .append("'")
        .append(task.forced() ? " (forced)" : "")
        .append('\n');
    int upToDate = 0;
    int unlisted = 0;
    for (PlannedJob job : jobs) {
      if (!job.willRun()) {
        upToDate++;
        continue;
      }
      if (++listed[0] > MAX_LISTED) {
        unlisted++;
        continue;
      }
      out.append("       Job  = [")
          .append(files(job.inputs()))
          .append("\n             -> ")
          .append(files(job.outputs()));
      for (String extra : job.extras()) {
        out.append(", ").append(extra);
      }
      out.append("]\n");
      out.append("         Job needs update: ...\n");
      for (Reason reason : job.reasons()) {
        out.append("               ").append(reason.detail()).append('\n');
      }
    }
    if (unlisted > 0) {
      out.append("       (")
          .append(String.valueOf(unlisted))
          .append(" more jobs to run; the JSON plan lists them all, page by page)\n");
    }
    if (upToDate > 0) {
      out.append("       (").append(String.valueOf(upToDate)).append(" more jobs up to date)\n");
    }
    out.append('\n');
  }

  private static String files(List<String> files) {
    if (files.isEmpty()) {
      return "None";
    }
    if (files.size() == 1) {
      return files.getFirst();
    }
    return "[" + String.join(", ", files) + "]";
  }
}
