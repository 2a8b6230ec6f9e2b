package org.pipewright.pipeline;

import java.util.List;

/**
 * A validated pipeline definition: its name, the workdir its relative paths resolve against, and
 * its tasks in the order they were written.
 *
 * @param name unique name; posting a changed definition under it makes a new version
 * @param workdir folder relative to the workspace root that every path of the pipeline is under
 * @param tasks the tasks, names unique, dependencies acyclic
 */
public record PipelineDefinition(String name, String workdir, List<TaskDefinition> tasks) {

  public PipelineDefinition {
    tasks = List.copyOf(tasks);
  }
}
