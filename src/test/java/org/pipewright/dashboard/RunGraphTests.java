package org.pipewright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.SvgDocument.child;
import static org.pipewright.SvgDocument.text;
import static org.pipewright.run.JobState.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.pipewright.SvgDocument;
import org.pipewright.pipeline.Action;
import org.pipewright.pipeline.InputRef;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.TaskSpec;
import org.pipewright.pipeline.UptodateCheck;
import org.pipewright.run.JobState;
import org.w3c.dom.Element;

/** A run's graph shows each task by its most urgent job, links it, and says it in words too. */
class RunGraphTests {

  static final Function<String, String> TASK_FILTER =
      name -> "?task=" + URLEncoder.encode(name, StandardCharsets.UTF_8);

  /** make -> total (merge) -> report (follows total). */
  final PipelineDefinition definition =
      new PipelineDefinition(
          "counting",
          "counting",
          List.of(
              task("make", new TaskSpec.Originate(List.of(List.of("a.1")), List.of()), List.of()),
              task("total", merge("make"), List.of()),
              task(
                  "report",
                  new TaskSpec.Originate(List.of(List.of("r")), List.of()),
                  List.of("total"))));

  @Test
  void aTaskWithAFailedJobIsDrawnFailedWhateverItsOtherJobsDo() {
    Element box = drawn(Map.of(SUCCEEDED, 5, RUNNING, 2, QUEUED, 9, FAILED, 1));

    assertThat(box.getAttribute("class")).isEqualTo("task failed");
    assertThat(child(box, "rect").getAttribute("fill")).isEqualTo("#d55e00");
  }

  @Test
  void aTaskWithALeasedOrRunningJobIsDrawnRunning() {
    assertThat(drawn(Map.of(SUCCEEDED, 5, LEASED, 1, QUEUED, 9, BLOCKED, 1)).getAttribute("class"))
        .isEqualTo("task running");
    assertThat(drawn(Map.of(RUNNING, 1)).getAttribute("class")).isEqualTo("task running");
  }

  @Test
  void aTaskWithPendingOrQueuedJobsAndNoneRunningIsDrawnQueued() {
    assertThat(drawn(Map.of(PENDING, 3, BLOCKED, 1, SUCCEEDED, 2)).getAttribute("class"))
        .isEqualTo("task queued");
    assertThat(drawn(Map.of(QUEUED, 1)).getAttribute("class")).isEqualTo("task queued");
  }

  @Test
  void aTaskWithBlockedJobsAndNothingQueuedOrRunningIsDrawnBlocked() {
    assertThat(drawn(Map.of(BLOCKED, 3, SUCCEEDED, 2, CANCELLED, 1)).getAttribute("class"))
        .isEqualTo("task blocked");
  }

  @Test
  void aTaskWithACancelledJobAndTheRestFinishedIsDrawnCancelled() {
    assertThat(drawn(Map.of(CANCELLED, 1, SUCCEEDED, 2, SKIPPED, 4)).getAttribute("class"))
        .isEqualTo("task cancelled");
  }

  @Test
  void aTaskWhoseJobsSucceededOrWereSkippedIsDrawnSucceeded() {
    Element box = drawn(Map.of(SUCCEEDED, 1, SKIPPED, 999));

    assertThat(box.getAttribute("class")).isEqualTo("task succeeded");
    assertThat(text(box, "task-caption")).isEqualTo("merge: 1000/1000 done");
  }

  @Test
  void aTaskWhoseJobsWereAllSkippedIsDrawnUpToDate() {
    Element box = drawn(Map.of(SKIPPED, 4));

    assertThat(box.getAttribute("class")).isEqualTo("task skipped");
    assertThat(text(box, "task-caption")).isEqualTo("merge: 4 up to date");
  }

  @Test
  void aTaskWithNoJobsYetIsDrawnWaiting() {
    Element absent =
        SvgDocument.parse(RunGraph.svg(definition, Map.of(), TASK_FILTER)).task("total");
    Element zero = drawn(Map.of(QUEUED, 0));

    assertThat(absent.getAttribute("class")).isEqualTo("task waiting");
    assertThat(text(absent, "task-caption")).isEqualTo("merge: no jobs yet");
    assertThat(zero.getAttribute("class")).isEqualTo("task waiting");
  }

  @Test
  void everyJobStateColoursATaskOtherThanWaiting() {
    for (JobState state : JobState.values()) {
      assertThat(TaskProgress.of(Map.of(state, 1)))
          .as(state.name())
          .isNotEqualTo(TaskProgress.WAITING);
    }
  }

  @Test
  void theCaptionCountsDoneJobsAndTheFailedOnes() {
    Element box = drawn(Map.of(SUCCEEDED, 800, SKIPPED, 12, FAILED, 3, RUNNING, 5, QUEUED, 180));

    assertThat(text(box, "task-caption")).isEqualTo("merge: 812/1000 done, 3 failed");
    assertThat(text(drawn(Map.of(SUCCEEDED, 1, RUNNING, 2)), "task-caption"))
        .isEqualTo("merge: 1/3 done, 2 running");
  }

  @Test
  void everyTaskLinksWhereTheDashboardSays() {
    SvgDocument doc = SvgDocument.parse(RunGraph.svg(definition, Map.of(), TASK_FILTER));

    assertThat(doc.all("//a").stream().map(a -> a.getAttribute("href")))
        .containsExactly("?task=make", "?task=total", "?task=report");
    assertThat(child(doc.all("//a").get(1), "g").getAttribute("data-task")).isEqualTo("total");
  }

  @Test
  void hostileTaskNamesAreEscapedInTextDataAndLinks() {
    String hostile = "<script>\"x\"&'</script>";
    var pipeline =
        new PipelineDefinition(
            "p",
            "p",
            List.of(
                task(hostile, new TaskSpec.Originate(List.of(List.of("a")), List.of()), List.of()),
                task("next", merge(hostile), List.of())));
    Function<String, String> raw = name -> "?task=" + name + "&x=\"1\"";

    String svg = RunGraph.svg(pipeline, Map.of(hostile, Map.of(FAILED, 1)), raw);

    assertThat(svg).doesNotContain("<script>");
    SvgDocument doc = SvgDocument.parse(svg);
    Element box = doc.task(hostile);
    assertThat(text(box, "task-name")).isEqualTo(hostile);
    assertThat(box.getAttribute("class")).isEqualTo("task failed");
    assertThat(doc.all("//a").getFirst().getAttribute("href")).isEqualTo(raw.apply(hostile));
    assertThat(doc.all("//line")).hasSize(1);
  }

  @Test
  void aTaskThatOnlyFollowsAnotherIsJoinedByADashedLine() {
    SvgDocument doc = SvgDocument.parse(RunGraph.svg(definition, Map.of(), TASK_FILTER));

    assertThat(doc.all("//line[@class='edge']")).hasSize(1);
    Element follows = doc.one("//line[@class='edge follows']");
    assertThat(follows.getAttribute("stroke-dasharray")).isNotEmpty();
    assertThat(follows.getAttribute("y2"))
        .isEqualTo(child(doc.task("report"), "rect").getAttribute("y"));
  }

  @Test
  void theLegendNamesEveryStateATaskCanBeDrawnIn() {
    SvgDocument doc = SvgDocument.parse(RunGraph.svg(definition, Map.of(), TASK_FILTER));

    assertThat(doc.all("//g[@class='legend']/text").stream().map(Element::getTextContent))
        .containsExactly(
            "waiting",
            "queued",
            "running",
            "succeeded",
            "skipped",
            "failed",
            "blocked",
            "cancelled");
    assertThat(
            doc.all("//g[@class='legend']/rect").stream()
                .map(r -> r.getAttribute("fill"))
                .distinct())
        .hasSize(TaskProgress.values().length);
  }

  /** The box of {@code total} when its jobs stand so and the other tasks have none yet. */
  private Element drawn(Map<JobState, Integer> totalCounts) {
    String svg = RunGraph.svg(definition, Map.of("total", totalCounts), TASK_FILTER);
    return SvgDocument.parse(svg).task("total");
  }

  private static TaskSpec merge(String from) {
    return new TaskSpec.Merge(List.of(new InputRef.TaskOutput(from)), List.of("out"), List.of());
  }

  private static TaskDefinition task(String name, TaskSpec spec, List<String> follows) {
    return new TaskDefinition(
        name,
        spec,
        new Action.Shell("true"),
        follows,
        List.of(),
        true,
        null,
        List.of(),
        UptodateCheck.TIMESTAMPS,
        0);
  }
}
