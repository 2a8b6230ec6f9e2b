package org.pipewright.web;

import java.time.Instant;
import java.util.List;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.TaskDefinition;
import org.pipewright.pipeline.VersionInfo;
import tools.jackson.databind.JsonNode;

/** What the pipeline endpoints answer: views made from the catalog's records, never the rows. */
final class PipelineViews {

  private PipelineViews() {}

  /**
   * The answer to a post.
   *
   * @param created false when the definition was already the newest version
   */
  record Registered(
      String name,
      int version,
      boolean created,
      String digest,
      Instant createdAt,
      List<TaskView> tasks) {}

  /** One task of a definition, for overviews. */
  record TaskView(String name, String kind, List<String> follows) {

    static List<TaskView> of(PipelineDefinition definition) {
      return definition.tasks().stream().map(TaskView::of).toList();
    }

    static TaskView of(TaskDefinition task) {
      return new TaskView(task.name(), task.kind(), task.follows());
    }
  }

  /** One version in a pipeline's history. */
  record VersionView(int version, String digest, String format, Instant createdAt) {

    static VersionView of(VersionInfo info) {
      return new VersionView(info.version(), info.digest(), info.format(), info.createdAt());
    }
  }

  /**
   * A pipeline with its versions and one of them in full.
   *
   * @param version the version shown in {@code definition} and {@code source}
   * @param definition the parsed definition in canonical form
   * @param source the definition exactly as it was posted
   */
  record PipelineView(
      String name,
      int latestVersion,
      int version,
      List<VersionView> versions,
      List<TaskView> tasks,
      JsonNode definition,
      String format,
      String source) {}
}
