package org.pipewright.run;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A run as stored.
 *
 * @param id its id (0 before it is stored)
 * @param pipeline the pipeline's name
 * @param pipelineVersion the definition version it runs
 * @param state where it is in its life
 * @param request what the user asked for
 * @param deferredTasks tasks whose jobs are known only after a split or subdivide of this run ran
 * @param createdAt when it was posted
 * @param startedAt when its first jobs were queued
 * @param finishedAt when it ended
 * @param error why it failed or was cancelled
 * @param version optimistic lock
 */
public record RunRow(
    long id,
    String pipeline,
    int pipelineVersion,
    RunState state,
    RunRequest request,
    List<String> deferredTasks,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable String error,
    long version) {

  public RunRow {
    deferredTasks = List.copyOf(deferredTasks);
  }
}
