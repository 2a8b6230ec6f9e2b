package org.pipewright.run;

import java.util.List;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineDefinition;

/** Makes the scheduler's working copy of a stored run, with the definition it runs. */
final class RunBuilder {

  private final PipelineCatalog catalog;

  RunBuilder(PipelineCatalog catalog) {
    this.catalog = catalog;
  }

  ActiveRun build(RunRow row, List<JobRow> rows) {
    PipelineDefinition definition =
        catalog.definition(catalog.version(row.pipeline(), row.pipelineVersion()));
    ActiveRun run = new ActiveRun(row, definition);
    for (JobRow job : rows) {
      run.add(job);
    }
    return run;
  }
}
