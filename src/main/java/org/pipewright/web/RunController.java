package org.pipewright.web;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.PlanRequest;
import org.pipewright.run.JobRow;
import org.pipewright.run.JobState;
import org.pipewright.run.RunRequest;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunService;
import org.pipewright.run.RunState;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Starting, following and cancelling runs, and reading their jobs. */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class RunController {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 10_000;

  private final RunService runs;

  RunController(RunService runs) {
    this.runs = runs;
  }

  /**
   * The body of {@code POST /api/runs}.
   *
   * @param pipeline the pipeline to run
   * @param version its version, or the newest
   * @param targets tasks to bring up to date; none means all
   * @param forced tasks that run even when up to date
   * @param touchOnly only create or touch outputs, as Ruffus's {@code touch_files_only}
   * @param checksumLevel 0 to 3 (default 1)
   * @param keepGoing after a failure, still run everything that does not depend on it
   */
  record RunBody(
      @Nullable String pipeline,
      @Nullable Integer version,
      @Nullable List<String> targets,
      @Nullable List<String> forced,
      @Nullable Boolean touchOnly,
      @Nullable Integer checksumLevel,
      @Nullable Boolean keepGoing) {

    RunRequest toRequest() {
      if (pipeline == null || pipeline.isBlank()) {
        throw new RunBodyException("pipeline", "pipeline is required");
      }
      for (List<String> names : java.util.Arrays.asList(targets, forced)) {
        if (names != null && names.contains(null)) {
          throw new RunBodyException(
              names == targets ? "targets" : "forced", "names may not be null");
        }
      }
      return new RunRequest(
          pipeline,
          version,
          targets == null ? List.of() : targets,
          forced == null ? List.of() : forced,
          Boolean.TRUE.equals(touchOnly),
          checksumLevel == null ? PlanRequest.DEFAULT_CHECKSUM_LEVEL : checksumLevel,
          Boolean.TRUE.equals(keepGoing));
    }
  }

  @PostMapping(path = "/runs", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<RunViews.RunView> start(@RequestBody RunBody body) {
    RunRow run = runs.start(body.toRequest());
    return ResponseEntity.accepted()
        .location(URI.create("/api/runs/" + run.id()))
        .body(RunViews.run(run, runs.counts(run)));
  }

  @GetMapping("/runs")
  List<RunViews.RunView> list(
      @RequestParam(required = false) @Nullable String pipeline,
      @RequestParam(required = false) @Nullable RunState state,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "50") int limit) {
    checkPage(offset, limit);
    return runs.runs(pipeline, state, offset, limit).stream()
        .map(run -> RunViews.run(run, runs.counts(run)))
        .toList();
  }

  @GetMapping("/runs/{id}")
  RunViews.RunView show(@PathVariable long id) {
    RunRow run = runs.run(id);
    return RunViews.run(run, runs.counts(run));
  }

  @PostMapping("/runs/{id}/cancel")
  ResponseEntity<RunViews.RunView> cancel(@PathVariable long id) {
    RunRow run = runs.cancel(id);
    return ResponseEntity.accepted().body(RunViews.run(run, runs.counts(run)));
  }

  @GetMapping("/runs/{id}/jobs")
  RunViews.JobPage jobs(
      @PathVariable long id,
      @RequestParam(required = false) @Nullable String task,
      @RequestParam(required = false) @Nullable JobState state,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
    checkPage(offset, limit);
    return new RunViews.JobPage(
        runs.countJobs(id, task, state),
        offset,
        limit,
        runs.jobs(id, task, state, offset, limit).stream().map(RunViews::jobSummary).toList());
  }

  @GetMapping("/jobs/{id}")
  RunViews.JobView job(@PathVariable long id) {
    JobRow job = runs.job(id);
    return RunViews.job(job, runs.attempts(job));
  }

  private static void checkPage(int offset, int limit) {
    if (offset < 0 || limit < 0 || limit > MAX_LIMIT) {
      throw new BadPageException(MAX_LIMIT);
    }
  }
}
