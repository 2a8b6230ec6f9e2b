package org.pipewright.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.pipewright.plan.PlannedTask.TaskState;
import org.pipewright.plan.TaskGraphSvg.Box;
import org.pipewright.plan.TaskGraphSvg.LegendEntry;

/** A plan's tasks as boxes of {@link TaskGraphSvg}, coloured by what a run would do. */
final class PlanBoxes {

  static final List<LegendEntry> LEGEND =
      Arrays.stream(TaskState.values())
          .map(state -> new LegendEntry(words(state).replace('-', ' '), fill(state)))
          .toList();

  private PlanBoxes() {}

  /** No links: the plan's graph is a picture on its own. */
  static List<Box> boxes(Plan plan) {
    return plan.tasks().stream()
        .map(task ->
            new Box(
                task.name(),
                task.upstream(),
                task.follows(),
                words(task.state()),
                fill(task.state()),
                caption(task),
                null))
        .toList();
  }

  private static String words(TaskState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String caption(PlannedTask task) {
    return switch (task.state()) {
      case WILL_RUN ->
          task.kind() + ": " + task.jobsToRun() + " of " + task.jobs() + " jobs to run";
      case UP_TO_DATE -> task.kind() + ": " + task.jobs() + " jobs up to date";
      case DEFERRED -> task.kind() + ": jobs known later";
      case INACTIVE -> task.kind() + ": inactive";
      case NOT_SELECTED -> task.kind() + ": not a target";
    };
  }

  private static String fill(TaskState state) {
    return switch (state) {
      case WILL_RUN -> "#f6c177";
      case UP_TO_DATE -> "#a6d9a0";
      case DEFERRED -> "#b4d5f0";
      case INACTIVE -> "#dddddd";
      case NOT_SELECTED -> "#ffffff";
    };
  }
}
