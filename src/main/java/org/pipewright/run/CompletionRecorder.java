package org.pipewright.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.plan.DiskFileState;
import org.pipewright.plan.JobDigests;
import org.pipewright.plan.JobHistory.OutputRecord;
import org.pipewright.plan.Planner;

/**
 * The file side of the scheduler: what a worker is told about a job, and the history records a
 * completed job leaves for the next plan.
 */
final class CompletionRecorder {

  private final Path workspace;
  private final Clock clock;
  private long lastRecordNanos;

  CompletionRecorder(Path workspace, Clock clock) {
    this.workspace = workspace.toAbsolutePath().normalize();
    this.clock = clock;
  }

  Assignment assignment(JobSlot slot, String token) {
    ActiveRun run = slot.run;
    String kind = run.request.touchOnly() ? "touch" : slot.spec.kind();
    return new Assignment(
        slot.id,
        slot.attempt,
        token,
        run.id,
        run.pipeline(),
        slot.task,
        slot.key,
        kind,
        kind.equals("shell") ? slot.spec.command() : null,
        kind.equals("java") ? slot.spec.className() : null,
        run.definition.workdir(),
        slot.spec.inputs(),
        kind.equals("touch") ? existingIfGlobs(slot) : slot.spec.outputs(),
        slot.spec.extras(),
        slot.spec.mkdir(),
        kind.equals("touch") ? List.of() : slot.spec.checkOutputs(),
        JobRow.logDir(run.id, slot.task, slot.key));
  }

  /**
   * What a touch job touches: its outputs, or for a split or subdivide the files its globs match
   * now (Ruffus's {@code touch_files_only} touches what is there; a file named by a glob is never
   * made).
   */
  private List<String> existingIfGlobs(JobSlot slot) {
    if (!Planner.isGlobTask(slot.run.tasks.get(slot.task).spec())) {
      return slot.spec.outputs();
    }
    DiskFileState files = new DiskFileState(workspace, slot.run.definition.workdir());
    List<String> made = new ArrayList<>();
    for (String glob : slot.spec.outputs()) {
      made.addAll(files.glob(glob));
    }
    return made;
  }

  /**
   * Records every output of a completed job, globs resolved to what the job made. The recorded time
   * is the completion time, rising strictly from job to job, as Ruffus records {@code time.time()}:
   * file times are only as fine as the kernel's clock tick, so two quick jobs in a row could
   * otherwise look the same age, and the second would seem out of date forever.
   */
  void recordOutputs(JobSlot slot, Changes changes) {
    ActiveRun run = slot.run;
    TaskDefinition task = run.tasks.get(slot.task);
    List<String> outputs = slot.spec.outputs();
    if (Planner.isGlobTask(task.spec())) {
      DiskFileState files = new DiskFileState(workspace, run.definition.workdir());
      List<String> made = new ArrayList<>();
      for (String glob : outputs) {
        made.addAll(files.glob(glob));
      }
      outputs = made;
    }
    String action = task.action() == null ? "" : JobDigests.action(task.action());
    String params = JobDigests.params(slot.spec.inputs(), slot.spec.outputs(), slot.spec.extras());
    Path workdir = workspace.resolve(run.definition.workdir());
    for (String output : outputs) {
      long fileNanos = modifiedNanos(workdir.resolve(output));
      if (fileNanos < 0) {
        continue; // not there: nothing to record, and the next plan runs the job again
      }
      changes.record(run.pipeline(), output, new OutputRecord(action, params, next(fileNanos)));
    }
  }

  private long next(long fileNanos) {
    java.time.Instant now = clock.instant();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastRecordNanos = Math.max(Math.max(nanos, fileNanos), lastRecordNanos + 1_000);
    return lastRecordNanos;
  }

  private static long modifiedNanos(Path path) {
    try {
      FileTime time = Files.getLastModifiedTime(path);
      return time.to(TimeUnit.SECONDS) * 1_000_000_000L + time.toInstant().getNano();
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
