package org.pipewright.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.pipewright.run.JobRow;
import org.pipewright.run.JobState;

/** A job as one row of a run's job table. */
record JobLine(
    long id,
    String key,
    String task,
    JobState state,
    int attempt,
    @Nullable Long workerId,
    @Nullable Instant startedAt,
    String duration,
    @Nullable Integer exitCode,
    List<String> outputs,
    @Nullable String error) {

  static JobLine of(JobRow job) {
    return new JobLine(
        job.id(),
        job.key(),
        job.task(),
        job.state(),
        job.attempt(),
        job.workerId(),
        job.startedAt(),
        job.startedAt() == null || job.finishedAt() == null
            ? ""
            : Durations.between(job.startedAt(), job.finishedAt(), job.finishedAt()),
        job.exitCode(),
        job.spec().outputs(),
        job.error());
  }

  public String stateClass() {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
