package org.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.plan.DiskFileState;
import org.pipewright.plan.JobHistory;
import org.pipewright.plan.Plan;
import org.pipewright.plan.PlanRequest;
import org.pipewright.plan.Planner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The demo pipelines a newcomer first sees must parse and plan. */
class DemoPipelinesTests {

  @TempDir Path workspace;

  @Test
  void everyDemoPipelineParsesAndPlansOnAnEmptyWorkspace() throws Exception {
    Resource[] demos =
        new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.yaml");
    assertThat(demos).hasSizeGreaterThanOrEqualTo(2);
    for (Resource demo : demos) {
      PipelineDefinition definition =
          new DefinitionParser()
              .parse(demo.getContentAsByteArray(), SourceFormat.YAML)
              .definition();
      Plan plan =
          new Planner()
              .plan(
                  definition,
                  new DiskFileState(workspace, definition.workdir()),
                  JobHistory.EMPTY,
                  PlanRequest.all());
      assertThat(plan.summary().willRun()).as(definition.name()).isPositive();
      assertThat(plan.jobs()).allMatch(j -> j.willRun());
    }
  }
}
