package org.pipewright.run;

import org.jspecify.annotations.Nullable;
import org.pipewright.WorkspaceProperties;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.StoredPipeline;
import org.pipewright.plan.DiskFileState;
import org.pipewright.plan.Plan;
import org.pipewright.plan.PlanRequest;
import org.pipewright.plan.Planner;
import org.springframework.stereotype.Service;

/**
 * Plans a stored pipeline against its workdir and its job history: the dry run users ask for, and
 * (later) the first step of every run.
 */
@Service
public class PlanService {

  private final PipelineCatalog catalog;
  private final JobHistoryRepository history;
  private final WorkspaceProperties workspace;
  private final Planner planner;

  public PlanService(
      PipelineCatalog catalog,
      JobHistoryRepository history,
      WorkspaceProperties workspace,
      RunProperties properties) {
    this.catalog = catalog;
    this.history = history;
    this.workspace = workspace;
    this.planner = new Planner(properties.maxJobs());
  }

  /**
   * @param version the version to plan, or {@code null} for the newest
   */
  public VersionedPlan plan(String pipeline, @Nullable Integer version, PlanRequest request) {
    StoredPipeline stored =
        version == null ? catalog.latest(pipeline) : catalog.version(pipeline, version);
    return plan(stored.name(), stored.version(), catalog.definition(stored), request);
  }

  /** Plans a definition the caller already holds (a run planning its deferred tasks). */
  VersionedPlan plan(
      String pipeline, int version, PipelineDefinition definition, PlanRequest request) {
    Plan plan =
        planner.plan(
            definition,
            new DiskFileState(workspace.root(), definition.workdir()),
            history.forPipeline(pipeline),
            request);
    return new VersionedPlan(version, definition, plan);
  }

  /**
   * A plan with the version of the definition it was made from.
   *
   * @param version the definition's version
   * @param definition that version's definition
   * @param plan the plan
   */
  public record VersionedPlan(int version, PipelineDefinition definition, Plan plan) {}
}
