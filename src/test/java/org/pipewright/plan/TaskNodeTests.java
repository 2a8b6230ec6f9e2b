package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.plan.Defs.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A definition's graph without planning: the tasks in the order a plan lists them. */
class TaskNodeTests {

  @Test
  void graphOfListsTasksAfterWhatTheyReadAndFollowWithTheirKinds() {
    var definition =
        pipeline(
            following(task("report", originate("report.txt")), "total"),
            task("total", merge(from("make"), "total.txt")),
            task("make", originate("a.1", "b.1")),
            task("parts", split(paths("missing/dir/*.in"), "*.part")));

    assertThat(TaskNode.graphOf(definition))
        .containsExactly(
            new TaskNode("make", "originate", List.of(), List.of()),
            new TaskNode("parts", "split", List.of(), List.of()),
            new TaskNode("total", "merge", List.of("make"), List.of()),
            new TaskNode("report", "originate", List.of(), List.of("total")));
  }
}
