package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pipewright.plan.Defs.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.UptodateCheck;
import org.pipewright.plan.PlannedTask.TaskState;

/** The planner's decisions, pinned to Ruffus's needs_update_check_modify_time. */
class PlannerTests {

  @TempDir Path root;
  Workdir dir;

  final PipelineDefinition makeThenMerge =
      pipeline(
          task("make", originate("a.1", "b.1")), task("total", merge(from("make"), "total.txt")));

  @BeforeEach
  void setUp() {
    dir = new Workdir(root);
  }

  static List<String> codes(PlannedJob job) {
    return job.reasons().stream().map(Reason::code).toList();
  }

  static PlannedJob job(Plan plan, String id) {
    return plan.jobs().stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void missingOutputsMakeJobsRunAndTheirDependantsFollow() {
    Plan plan = dir.plan(makeThenMerge);

    assertThat(plan.jobs())
        .extracting(PlannedJob::id)
        .containsExactly("make:1", "make:2", "total:1");
    assertThat(codes(job(plan, "make:1"))).containsExactly("missing-output");
    assertThat(job(plan, "total:1").after()).containsExactly("make:1", "make:2");
    assertThat(job(plan, "total:1").inputs()).containsExactly("a.1", "b.1");
    assertThat(codes(job(plan, "total:1"))).containsExactly("upstream");
    assertThat(plan.summary()).isEqualTo(new Plan.Summary(2, 3, 3, 0, 0));
  }

  @Test
  void builtOutputsNewerThanInputsAreUpToDate() {
    dir.built("a.1", "b.1", "total.txt");

    Plan plan = dir.plan(makeThenMerge);

    assertThat(plan.jobs()).noneMatch(PlannedJob::willRun);
    assertThat(codes(job(plan, "total:1"))).containsExactly("up-to-date");
    assertThat(plan.tasks()).extracting(PlannedTask::state).containsOnly(TaskState.UP_TO_DATE);
  }

  @Test
  void touchingAnInputReRunsOnlyTheJobsThatReadIt() {
    dir.built("a.1", "b.1", "total.txt").built("b.1");

    Plan plan = dir.plan(makeThenMerge);

    assertThat(job(plan, "make:2").willRun()).isFalse();
    assertThat(codes(job(plan, "total:1"))).containsExactly("input-newer");
    assertThat(job(plan, "total:1").reasons().getFirst().detail())
        .contains("b.1")
        .contains("total.txt");
  }

  @Test
  void deletingAnOutputReRunsItsJobAndEverythingDownstream() {
    dir.built("a.1", "b.1", "total.txt").delete("a.1");

    Plan plan = dir.plan(makeThenMerge);

    assertThat(codes(job(plan, "make:1"))).containsExactly("missing-output");
    assertThat(job(plan, "make:2").willRun()).isFalse();
    assertThat(job(plan, "total:1").reasons().getFirst().detail()).contains("make:1");
  }

  @Test
  void anOutputWithoutACompletedRecordRunsFromLevelOne() {
    dir.written("a.1", "b.1").built("total.txt");

    assertThat(codes(job(dir.plan(makeThenMerge), "make:1"))).containsExactly("no-history");
    Plan levelZero = dir.plan(makeThenMerge, new PlanRequest(Set.of(), Set.of(), 0));
    assertThat(levelZero.jobs()).noneMatch(PlannedJob::willRun);
  }

  @Test
  void aChangedCommandCountsFromLevelTwo() {
    dir.built("a.1", "b.1", "total.txt")
        .record("total.txt", Workdir.digestOf("cat {input} > {output}"), "");

    assertThat(dir.plan(makeThenMerge).jobs()).noneMatch(PlannedJob::willRun);
    Plan levelTwo = dir.plan(makeThenMerge, new PlanRequest(Set.of(), Set.of(), 2));
    assertThat(codes(job(levelTwo, "total:1"))).containsExactly("command-changed");
    assertThat(job(levelTwo, "make:1").willRun()).isFalse();
  }

  @Test
  void changedParametersCountFromLevelThree() {
    dir.built("a.1", "b.1", "total.txt");
    String command = Workdir.digestOf("touch {output}");
    dir.record("a.1", command, JobDigests.params(List.of(), List.of("a.1"), List.of()));
    dir.record("b.1", command, JobDigests.params(List.of(), List.of("b.1"), List.of()));
    dir.record(
        "total.txt", command, JobDigests.params(List.of("a.1"), List.of("total.txt"), List.of()));

    Plan levelThree = dir.plan(makeThenMerge, new PlanRequest(Set.of(), Set.of(), 3));

    assertThat(job(levelThree, "make:1").willRun()).isFalse();
    assertThat(codes(job(levelThree, "total:1"))).containsExactly("params-changed");
    assertThat(dir.plan(makeThenMerge, new PlanRequest(Set.of(), Set.of(), 2)).jobs())
        .noneMatch(PlannedJob::willRun);
  }

  @Test
  void forcedTasksRunAndTheirDependantsWithThem() {
    dir.built("a.1", "b.1", "total.txt");

    Plan plan = dir.plan(makeThenMerge, new PlanRequest(Set.of(), Set.of("make"), 1));

    assertThat(codes(job(plan, "make:1"))).containsExactly("forced");
    assertThat(codes(job(plan, "total:1"))).containsExactly("upstream");
    assertThat(plan.tasks().getFirst().forced()).isTrue();
  }

  @Test
  void targetsSelectOnlyWhatTheyDependOn() {
    PipelineDefinition twoBranches =
        pipeline(
            task("make", originate("a.1")),
            task("left", merge(from("make"), "left.txt")),
            task("right", merge(from("make"), "right.txt")));

    Plan plan = dir.plan(twoBranches, new PlanRequest(Set.of("left"), Set.of(), 1));

    assertThat(plan.jobs()).extracting(PlannedJob::task).containsExactly("make", "left");
    assertThat(plan.tasks())
        .filteredOn(t -> t.name().equals("right"))
        .extracting(PlannedTask::state)
        .containsExactly(TaskState.NOT_SELECTED);
  }

  @Test
  void unknownTargetsAreRefusedWithTheField() {
    assertThatThrownBy(() -> dir.plan(makeThenMerge, new PlanRequest(Set.of("nope"), Set.of(), 1)))
        .isInstanceOfSatisfying(
            PlanRequestException.class,
            e -> assertThat(e.fieldErrors().getFirst().path()).isEqualTo("targets"))
        .hasMessageContaining("nope");
  }

  @Test
  void aSplitThatMustRunDefersItsDependants() {
    PipelineDefinition splitting =
        pipeline(
            task("make", originate("in.txt")),
            task("chunks", split(from("make"), "chunk.*.txt")),
            task("total", merge(from("chunks"), "total.txt")));

    Plan plan = dir.plan(splitting);

    assertThat(job(plan, "chunks:1").outputs()).containsExactly("chunk.*.txt");
    assertThat(plan.tasks())
        .filteredOn(t -> t.name().equals("total"))
        .extracting(PlannedTask::state)
        .containsExactly(TaskState.DEFERRED);
    assertThat(plan.summary().deferredTasks()).isEqualTo(1);
  }

  @Test
  void anUpToDateSplitHandsOnEachFileItMade() {
    PipelineDefinition splitting =
        pipeline(
            task("make", originate("in.txt")),
            task("chunks", split(from("make"), "chunk.*.txt")),
            task("total", merge(from("chunks"), "total.txt")));
    dir.built("in.txt", "chunk.1.txt", "chunk.2.txt", "total.txt");

    Plan plan = dir.plan(splitting);

    assertThat(job(plan, "chunks:1").outputs()).containsExactly("chunk.1.txt", "chunk.2.txt");
    assertThat(job(plan, "total:1").inputs()).containsExactly("chunk.1.txt", "chunk.2.txt");
    assertThat(plan.jobs()).noneMatch(PlannedJob::willRun);
  }

  @Test
  void aSplitWhoseGlobMatchesNothingRuns() {
    dir.built("in.txt");
    PipelineDefinition splitting =
        pipeline(
            task("make", originate("in.txt")), task("chunks", split(from("make"), "chunk.*.txt")));

    assertThat(job(dir.plan(splitting), "chunks:1").reasons().getFirst().detail())
        .contains("no file matches chunk.*.txt");
  }

  @Test
  void anInactiveTaskPassesNothingDownstream() {
    PipelineDefinition withInactive =
        pipeline(
            inactive(task("make", originate("a.1"))),
            task("total", merge(from("make"), "total.txt")));

    Plan plan = dir.plan(withInactive);

    assertThat(plan.tasks().getFirst().state()).isEqualTo(TaskState.INACTIVE);
    assertThat(job(plan, "total:1").inputs()).isEmpty();
  }

  @Test
  void twoJobsWritingOneFileAreRefused() {
    PipelineDefinition clash =
        pipeline(task("one", originate("x")), task("two", files(List.of(), "x")));

    assertThatThrownBy(() -> dir.plan(clash))
        .isInstanceOf(ConflictingOutputsException.class)
        .hasMessageContaining("one:1")
        .hasMessageContaining("two:1");
  }

  @Test
  void collateGroupsByOutputsAndExtrasAndRefusesGroupsThatWouldShareAnOutput() {
    // Ruffus groups collate items by (outputs, extras); items agreeing on outputs but not extras
    // become two jobs writing one file. Pipewright refuses that instead of letting them race.
    dir.built("a.1.x", "a.2.x");
    var sameExtras =
        new org.pipewright.pipeline.TaskSpec.Collate(
            paths("*.x"),
            new org.pipewright.pipeline.FileFilter.Regex("(a)\\.(\\d)\\.x"),
            List.of("\\1.all"),
            List.of("\\1"),
            null);
    var splitExtras =
        new org.pipewright.pipeline.TaskSpec.Collate(
            paths("*.x"),
            new org.pipewright.pipeline.FileFilter.Regex("(a)\\.(\\d)\\.x"),
            List.of("\\1.all"),
            List.of("\\2"),
            null);

    Plan grouped = dir.plan(pipeline(task("c", sameExtras)));

    assertThat(grouped.jobs())
        .singleElement()
        .satisfies(j -> assertThat(j.inputs()).containsExactly("a.1.x", "a.2.x"));
    assertThatThrownBy(() -> dir.plan(pipeline(task("c", splitExtras))))
        .isInstanceOf(ConflictingOutputsException.class)
        .hasMessageContaining("a.all");
  }

  @Test
  void checkIfUptodateAlwaysRunsAndOutputsExistIgnoresTimes() {
    dir.built("a.1", "total.txt").built("a.1");
    PipelineDefinition always =
        pipeline(checked(task("make", originate("a.1")), UptodateCheck.ALWAYS));
    PipelineDefinition exists =
        pipeline(
            task("make", originate("a.1")),
            checked(task("total", merge(from("make"), "total.txt")), UptodateCheck.OUTPUTS_EXIST));

    assertThat(codes(job(dir.plan(always), "make:1"))).containsExactly("always");
    assertThat(dir.plan(exists).jobs()).noneMatch(PlannedJob::willRun);
  }

  @Test
  void aTaskFollowingOneThatRunsIsJudgedOnItsOwnFiles() {
    dir.built("a.1", "other.txt");
    PipelineDefinition ordered =
        pipeline(
            task("make", originate("a.1", "b.1")),
            following(task("other", originate("other.txt")), "make"));

    Plan plan = dir.plan(ordered);

    assertThat(job(plan, "make:2").willRun()).isTrue();
    assertThat(codes(job(plan, "other:1"))).containsExactly("up-to-date");
  }

  @Test
  void aJobWhoseInputsWereReplacedIgnoresAnUpstreamJobThatNoLongerFeedsIt() {
    dir.built("a.idx", "a.txt", "a.out").delete("a.txt");
    var replaced =
        new org.pipewright.pipeline.TaskSpec.Transform(
            from("make"),
            suffix(".txt"),
            List.of(".out"),
            List.of(),
            new org.pipewright.pipeline.TaskSpec.InputsModifier(true, List.of("\\1.idx")));
    PipelineDefinition pipeline = pipeline(task("make", originate("a.txt")), task("use", replaced));

    Plan plan = dir.plan(pipeline);

    assertThat(codes(job(plan, "make:1"))).containsExactly("missing-output");
    assertThat(job(plan, "use:1").inputs()).containsExactly("a.idx");
    assertThat(job(plan, "use:1").after()).containsExactly("make:1");
    assertThat(codes(job(plan, "use:1"))).containsExactly("up-to-date");
  }

  @Test
  void aJobWithNoOutputsAlwaysRuns() {
    PipelineDefinition noOutputs =
        pipeline(
            task("p", new org.pipewright.pipeline.TaskSpec.Parallel(List.of(List.of("a", "1")))));

    PlannedJob job = dir.plan(noOutputs).jobs().getFirst();

    assertThat(job.extras()).containsExactly("a", "1");
    assertThat(codes(job)).containsExactly("always");
  }

  @Test
  void aMissingInputThatNoTaskMakesIsReported() {
    dir.built("total.txt");
    Plan plan = dir.plan(pipeline(task("total", merge(paths("raw.txt"), "total.txt"))));

    assertThat(codes(plan.jobs().getFirst())).containsExactly("missing-input");
  }

  @Test
  void aTemplateThatWouldGrowANamePastPathMaxIsRefused() {
    String longName = "a".repeat(3000) + ".x";
    var doubling =
        transform(
            paths(longName), new org.pipewright.pipeline.FileFilter.Regex("(.*)\\.x"), "\\1\\1.y");

    assertThatThrownBy(() -> dir.plan(pipeline(task("grow", doubling))))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("longer than 4096");
  }

  @Test
  void aBadGlobIsAClientErrorNotACrash() {
    assertThatThrownBy(
            () -> dir.plan(pipeline(task("total", merge(paths("data/*.[txt"), "total.txt")))))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("data/*.[txt");
  }

  @Test
  void aSymlinkLeavingTheWorkspaceIsRefused() throws Exception {
    Files.createDirectories(dir.file("x").getParent());
    Files.createSymbolicLink(dir.file("secret.txt"), Path.of("/etc/passwd"));

    assertThatThrownBy(
            () -> dir.plan(pipeline(task("total", merge(paths("secret.txt"), "total.txt")))))
        .isInstanceOf(PathEscapesWorkspaceException.class)
        .hasMessageContaining("secret.txt");
  }
}
