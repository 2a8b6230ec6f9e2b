/**
 * Micrometer metrics, as DESIGN.md names them: jobs by outcome and their durations, queued and
 * running jobs, active runs and their progress, workers by state, shared-log records and bytes,
 * lock waits and holds. Tags stay low-cardinality: pipeline, task, outcome, state, lock; never a
 * run or job id. The capabilities only tell observers what happened; the meters live here.
 */
@NullMarked
package org.pipewright.metrics;

import org.jspecify.annotations.NullMarked;
