package org.pipewright.web;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineDefinition;
import org.pipewright.pipeline.PipelineSummary;
import org.pipewright.pipeline.SourceFormat;
import org.pipewright.pipeline.StoredPipeline;
import org.pipewright.pipeline.VersionInfo;
import org.pipewright.web.PipelineViews.PipelineView;
import org.pipewright.web.PipelineViews.Registered;
import org.pipewright.web.PipelineViews.TaskView;
import org.pipewright.web.PipelineViews.VersionView;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Posting, listing and showing pipeline definitions. */
@RestController
@RequestMapping("/api/pipelines")
class PipelineController {

  static final String YAML = "application/yaml";

  private final PipelineCatalog catalog;
  private final JsonMapper json;

  PipelineController(PipelineCatalog catalog, JsonMapper json) {
    this.catalog = catalog;
    this.json = json;
  }

  /** YAML or JSON by content type; 201 for a new version, 200 when it already was the newest. */
  @PostMapping(
      consumes = {
        MediaType.APPLICATION_JSON_VALUE,
        YAML,
        "application/x-yaml",
        "text/yaml",
        "text/x-yaml"
      },
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Registered> post(
      @RequestHeader("Content-Type") MediaType contentType,
      @RequestBody(required = false) byte @Nullable [] body) {
    SourceFormat format =
        contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
            ? SourceFormat.JSON
            : SourceFormat.YAML;
    PipelineCatalog.Registration registration =
        catalog.post(body == null ? new byte[0] : body, format);
    StoredPipeline stored = registration.pipeline();
    PipelineDefinition definition = catalog.definition(stored);
    var answer =
        new Registered(
            stored.name(),
            stored.version(),
            registration.created(),
            stored.digest(),
            stored.createdAt(),
            TaskView.of(definition));
    URI location = URI.create("/api/pipelines/" + stored.name());
    return registration.created()
        ? ResponseEntity.created(location).body(answer)
        : ResponseEntity.ok().location(location).body(answer);
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  List<PipelineSummary> list() {
    return catalog.list();
  }

  /**
   * The pipeline with its versions; {@code ?version=n} shows that version instead of the newest.
   */
  @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  PipelineView show(
      @PathVariable String name, @RequestParam(required = false) @Nullable Integer version) {
    List<VersionInfo> versions = catalog.versions(name);
    StoredPipeline shown =
        catalog.version(name, version == null ? versions.getLast().version() : version);
    return new PipelineView(
        name,
        versions.getLast().version(),
        shown.version(),
        versions.stream().map(VersionView::of).toList(),
        TaskView.of(catalog.definition(shown)),
        json.readTree(shown.canonicalJson()),
        shown.format(),
        shown.source());
  }
}
