package org.pipewright.plan;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pipewright.pipeline.DefinitionParser;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.SourceFormat;
import org.pipewright.pipeline.TaskDefinition;

/**
 * Runs a case's {@code pipeline.yaml} the way the scheduler will: plan, "execute" every job that
 * will run in plan order, plan again, until nothing runs. Jobs after a split or subdivide only
 * appear in the plan made after it ran.
 *
 * <p>Executing a job creates its outputs (split and subdivide: by the fan-out rule of {@code
 * ruffus_case.py}) and writes the history record a completed job leaves, so planning stays at
 * Ruffus's default checksum level 1, the level both sides are compared at. File times come from a
 * clock that moves one second per job: no two jobs share a time, and nothing sleeps.
 */
final class PipewrightSide implements JobHistory {

  /** A pipeline of n dependent tasks needs at most about n passes; the cases have fewer than 10. */
  private static final int MAX_PASSES = 20;

  static final int FAN_OUT = 3;

  private final Path root;
  private final PipelineDefinition definition;
  private final Path workdir;
  private final Map<String, OutputRecord> history = new HashMap<>();
  private long clockSeconds = 1_700_000_000L;

  private PipewrightSide(Path root, PipelineDefinition definition) {
    this.root = root;
    this.definition = definition;
    this.workdir = root.resolve(definition.workdir());
  }

  static ParityPhases run(ParityCase c, Path root) {
    PipelineDefinition definition =
        new DefinitionParser().parse(c.yaml(), SourceFormat.YAML).definition();
    PipewrightSide side = new PipewrightSide(root, definition);
    c.createSetupFiles(side.workdir, side.tick());
    List<RecordedJob> first = side.runToFixedPoint();
    List<RecordedJob> unchanged = side.runToFixedPoint();
    List<RecordedJob> touched = List.of();
    if (c.touched().isPresent()) {
      ParityCase.touch(side.workdir.resolve(c.touched().get()), side.tick());
      touched = side.runToFixedPoint();
    }
    return new ParityPhases(first, unchanged, touched, ParityCase.files(side.workdir));
  }

  /**
   * One run: each job executes at most once. A job with outputs that a plan made after it ran still
   * wants to run would never let a real run finish, so that fails the case.
   */
  private List<RecordedJob> runToFixedPoint() {
    List<RecordedJob> ran = new ArrayList<>();
    Set<RecordedJob> executed = new HashSet<>();
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      Plan plan =
          new Planner()
              .plan(
                  definition,
                  new DiskFileState(root, definition.workdir()),
                  this,
                  PlanRequest.all());
      boolean any = false;
      for (PlannedJob job : plan.jobs()) {
        if (!job.willRun()) {
          continue;
        }
        RecordedJob planned =
            new RecordedJob(job.task(), job.inputs(), job.outputs(), job.extras());
        if (!executed.add(planned)) {
          if (!job.outputs().isEmpty()) {
            throw new AssertionError(
                "the plan made after "
                    + job.id()
                    + " ran wants to run it again: "
                    + planned
                    + " because "
                    + job.reasons());
          }
          continue; // no outputs: it always runs, but once per run
        }
        ran.add(execute(job));
        any = true;
      }
      if (!any) {
        return ran;
      }
    }
    throw new AssertionError("still planning jobs to run after " + MAX_PASSES + " passes");
  }

  private RecordedJob execute(PlannedJob job) {
    TaskDefinition task =
        definition.tasks().stream()
            .filter(t -> t.name().equals(job.task()))
            .findFirst()
            .orElseThrow();
    List<String> made = Planner.isGlobTask(task.spec()) ? fanOut(job.outputs()) : job.outputs();
    Instant time = tick();
    String action = task.action() == null ? "" : JobDigests.action(task.action());
    String params = JobDigests.params(job.inputs(), job.outputs(), job.extras());
    long nanos = time.getEpochSecond() * 1_000_000_000L;
    for (String file : made) {
      ParityCase.touch(workdir.resolve(file), time);
      history.put(file, new OutputRecord(action, params, nanos));
    }
    return new RecordedJob(job.task(), job.inputs(), made, job.extras());
  }

  /** ruffus_case.fan_out: each glob gives FAN_OUT files, its first '*' replaced by 1, 2, 3. */
  static List<String> fanOut(List<String> globs) {
    List<String> made = new ArrayList<>();
    for (String glob : globs) {
      if (!glob.contains("*")) {
        made.add(glob);
        continue;
      }
      for (int n = 1; n <= FAN_OUT; n++) {
        made.add(glob.replaceFirst("\\*", String.valueOf(n)));
      }
    }
    return made;
  }

  private Instant tick() {
    return Instant.ofEpochSecond(++clockSeconds);
  }

  @Override
  public Optional<OutputRecord> lookup(String path) {
    return Optional.ofNullable(history.get(path));
  }
}
