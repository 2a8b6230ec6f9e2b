package org.pipewright.run;

import java.util.List;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineDefinition;

/** Makes the scheduler's working copy of a stored run, with the definition it runs. */
final class RunBuilder {

  private final PipelineCatalog catalog;
  private final JobHistoryRepository history;

  RunBuilder(PipelineCatalog catalog, JobHistoryRepository history) {
    this.catalog = catalog;
    this.history = history;
  }

  ActiveRun build(RunRow row, List<JobRow> rows) {
    PipelineDefinition definition =
        catalog.definition(catalog.version(row.pipeline(), row.pipelineVersion()));
    ActiveRun run = new ActiveRun(row, definition, history.forPipeline(row.pipeline()));
    for (JobRow job : rows) {
      run.add(job);
    }
    return run;
  }
}
