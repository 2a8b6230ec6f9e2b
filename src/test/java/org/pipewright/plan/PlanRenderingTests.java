package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.plan.Defs.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.pipeline.PipelineDefinition;

/** The text printout reads like Ruffus's; the graph colours tasks by what a run would do. */
class PlanRenderingTests {

  @TempDir Path root;

  final PipelineDefinition pipeline =
      pipeline(
          task("make", originate("a.1", "b.1")),
          task("total", merge(from("make"), "total.txt")),
          following(task("report", originate("report.txt")), "total"));

  @Test
  void printoutListsUpToDateTasksThenJobsToRunWithReasons() {
    Workdir dir = new Workdir(root).built("a.1", "b.1");

    String text = PlanPrinter.print(dir.plan(pipeline));

    assertThat(text)
        .contains("Tasks which are up-to-date:\n\nTask = 'make'\n")
        .contains(
            "Task = 'total'\n       Job  = [[a.1, b.1]\n             -> total.txt]\n         Job needs update: ...\n               missing output total.txt\n")
        .contains("4 jobs: 2 to run, 2 up to date")
        .doesNotContain("Task = 'make'\n       Job");
  }

  @Test
  void graphHasOneBoxPerTaskColouredByState() {
    Workdir dir = new Workdir(root).built("a.1", "b.1");

    String svg = TaskGraphSvg.render(dir.plan(pipeline));

    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    assertThat(svg).contains("class=\"task up-to-date\" data-task=\"make\"");
    assertThat(svg).contains("class=\"task will-run\" data-task=\"total\"");
    assertThat(svg).contains("merge: 1 of 1 jobs to run");
    assertThat(svg).contains("stroke-dasharray"); // report follows total
  }

  @Test
  void graphEscapesNamesItDraws() {
    assertThat(TaskGraphSvg.escape("a<b>&\"c\"")).isEqualTo("a&lt;b&gt;&amp;&quot;c&quot;");
  }
}
