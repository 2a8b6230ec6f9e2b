/**
 * Runs and jobs; for now only the job history that planning reads ({@link
 * org.pipewright.run.JobHistoryRepository}), recorded when a job completes.
 */
@NullMarked
package org.pipewright.run;

import org.jspecify.annotations.NullMarked;
