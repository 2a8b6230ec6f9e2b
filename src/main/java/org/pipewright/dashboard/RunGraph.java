package org.pipewright.dashboard;

import static org.pipewright.dashboard.TaskProgress.count;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.plan.TaskGraphSvg;
import org.pipewright.plan.TaskGraphSvg.Box;
import org.pipewright.plan.TaskGraphSvg.LegendEntry;
import org.pipewright.plan.TaskNode;
import org.pipewright.run.JobState;

/**
 * The task graph of a run as SVG, each task coloured by where its jobs stand ({@link
 * TaskProgress}). Drawn from the definition and counts only, never from a plan, so a run of a
 * hundred thousand jobs costs no more to draw than one of ten.
 */
final class RunGraph {

  static final List<LegendEntry> LEGEND =
      Arrays.stream(TaskProgress.values())
          .map(progress -> new LegendEntry(progress.label(), progress.fill()))
          .toList();

  private RunGraph() {}

  /**
   * @param countsByTask per task, how many of its jobs are in each state; a task that is missing
   *     has no jobs yet and is drawn waiting; tasks the definition does not have are ignored
   * @param linkForTask where a click on a task's box goes, its parts already URL-encoded
   */
  static String svg(
      PipelineDefinition definition,
      Map<String, Map<JobState, Integer>> countsByTask,
      Function<String, String> linkForTask) {
    List<Box> boxes =
        TaskNode.graphOf(definition).stream()
            .map(task -> {
              Map<JobState, Integer> counts = countsByTask.getOrDefault(task.name(), Map.of());
              TaskProgress progress = TaskProgress.of(counts);
              return new Box(
                  task.name(),
                  task.upstream(),
                  task.follows(),
                  progress.label(),
                  progress.fill(),
                  caption(task.kind(), counts, progress),
                  linkForTask.apply(task.name()));
            })
            .toList();
    return TaskGraphSvg.render(definition.name(), boxes, LEGEND);
  }

  /** {@code transform: 812/1000 done, 3 failed}: short, so it fits under the name. */
  static String caption(String kind, Map<JobState, Integer> counts, TaskProgress progress) {
    int total = count(counts, JobState.values());
    int done = count(counts, JobState.SUCCEEDED, JobState.SKIPPED);
    return switch (progress) {
      case WAITING -> kind + ": no jobs yet";
      case SKIPPED -> kind + ": " + total + " up to date";
      default -> kind + ": " + done + "/" + total + " done" + worstOthers(counts);
    };
  }

  /** The one count a reader most needs besides the done ones; the job table has the rest. */
  private static String worstOthers(Map<JobState, Integer> counts) {
    int failed = count(counts, JobState.FAILED);
    int running = count(counts, JobState.LEASED, JobState.RUNNING);
    int blocked = count(counts, JobState.BLOCKED);
    int cancelled = count(counts, JobState.CANCELLED);
    if (failed > 0) {
      return ", " + failed + " failed";
    } else if (running > 0) {
      return ", " + running + " running";
    } else if (blocked > 0) {
      return ", " + blocked + " blocked";
    } else if (cancelled > 0) {
      return ", " + cancelled + " cancelled";
    }
    return "";
  }
}
