/**
 * Planning, Ruffus's {@code pipeline_printout}: expands a definition into jobs with file-name
 * filters and templates, and decides which jobs are out of date and why. A pure function of the
 * definition, the files on disk ({@link org.pipewright.plan.FileState}) and the job history ({@link
 * org.pipewright.plan.JobHistory}); no Spring, no database.
 */
@NullMarked
package org.pipewright.plan;

import org.jspecify.annotations.NullMarked;
