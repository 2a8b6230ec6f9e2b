package org.pipewright.plan;

import java.util.Arrays;
import java.util.List;
import org.pipewright.pipeline.Action;
import org.pipewright.pipeline.FileFilter;
import org.pipewright.pipeline.InputRef;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.TaskSpec;
import org.pipewright.pipeline.UptodateCheck;

/** Test builders for definitions, so planner tests read like the YAML they stand for. */
final class Defs {

  private Defs() {}

  static PipelineDefinition pipeline(TaskDefinition... tasks) {
    return new PipelineDefinition("p", "p", List.of(tasks));
  }

  static TaskDefinition task(String name, TaskSpec spec) {
    return new TaskDefinition(
        name,
        spec,
        new Action.Shell("touch {output}"),
        List.of(),
        List.of(),
        true,
        null,
        List.of(),
        UptodateCheck.TIMESTAMPS,
        0);
  }

  static TaskDefinition task(String name, TaskSpec spec, String command) {
    return withAction(task(name, spec), new Action.Shell(command));
  }

  static TaskDefinition withAction(TaskDefinition t, Action action) {
    return new TaskDefinition(
        t.name(),
        t.spec(),
        action,
        t.follows(),
        t.mkdir(),
        t.active(),
        t.jobsLimit(),
        t.posttask(),
        t.uptodate(),
        t.retries());
  }

  static TaskDefinition following(TaskDefinition t, String... follows) {
    return new TaskDefinition(
        t.name(),
        t.spec(),
        t.action(),
        List.of(follows),
        t.mkdir(),
        t.active(),
        t.jobsLimit(),
        t.posttask(),
        t.uptodate(),
        t.retries());
  }

  static TaskDefinition inactive(TaskDefinition t) {
    return new TaskDefinition(
        t.name(),
        t.spec(),
        t.action(),
        t.follows(),
        t.mkdir(),
        false,
        t.jobsLimit(),
        t.posttask(),
        t.uptodate(),
        t.retries());
  }

  static TaskDefinition checked(TaskDefinition t, UptodateCheck check) {
    return new TaskDefinition(
        t.name(),
        t.spec(),
        t.action(),
        t.follows(),
        t.mkdir(),
        t.active(),
        t.jobsLimit(),
        t.posttask(),
        check,
        t.retries());
  }

  static TaskSpec.Originate originate(String... outputs) {
    return new TaskSpec.Originate(Arrays.stream(outputs).map(List::of).toList(), List.of());
  }

  static TaskSpec.Merge merge(List<InputRef> input, String output) {
    return new TaskSpec.Merge(input, List.of(output), List.of());
  }

  static TaskSpec.Split split(List<InputRef> input, String output) {
    return new TaskSpec.Split(input, List.of(output), List.of());
  }

  static TaskSpec.Transform transform(List<InputRef> input, FileFilter filter, String... output) {
    return new TaskSpec.Transform(input, filter, List.of(output), List.of(), null);
  }

  static TaskSpec.Files files(List<InputRef> input, String... output) {
    return new TaskSpec.Files(List.of(new TaskSpec.FileJob(input, List.of(output), List.of())));
  }

  static List<InputRef> from(String task) {
    return List.of(new InputRef.TaskOutput(task));
  }

  static List<InputRef> paths(String... patterns) {
    return Arrays.stream(patterns).<InputRef>map(InputRef.Pattern::new).toList();
  }

  static FileFilter suffix(String suffix) {
    return new FileFilter.Suffix(suffix, null);
  }
}
