package org.pipewright.plan;

import java.util.List;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;

/**
 * One task of a definition's task graph, without planning it: what a page needs to draw the graph
 * of a run, where planning (which reads the workspace) would be too slow and beside the point.
 *
 * @param name the task's name
 * @param kind the Ruffus kind (transform, merge, ...)
 * @param upstream tasks whose outputs it reads, in the order they are named
 * @param follows tasks it runs after although no file passes between them
 */
public record TaskNode(String name, String kind, List<String> upstream, List<String> follows) {

  public TaskNode {
    upstream = List.copyOf(upstream);
    follows = List.copyOf(follows);
  }

  /**
   * The tasks of a definition in dependency order (each after every task it reads from or follows,
   * ties in the order they were written), as {@link Plan#tasks()} lists them. Touches no file.
   */
  public static List<TaskNode> graphOf(PipelineDefinition definition) {
    TaskGraph graph = new TaskGraph(definition);
    return graph.order().stream().map(task -> node(graph, task)).toList();
  }

  private static TaskNode node(TaskGraph graph, TaskDefinition task) {
    return new TaskNode(task.name(), task.kind(), graph.upstream(task.name()), task.follows());
  }
}
