package org.pipewright.web;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.plan.Plan;
import org.pipewright.plan.PlanPrinter;
import org.pipewright.plan.PlanRequest;
import org.pipewright.plan.PlanRequestException;
import org.pipewright.plan.PlannedJob;
import org.pipewright.plan.PlannedTask;
import org.pipewright.plan.TaskGraphSvg;
import org.pipewright.run.PlanService;
import org.pipewright.run.PlanService.VersionedPlan;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dry runs: the plan as JSON or as Ruffus-style text, and the task graph. */
@RestController
@RequestMapping("/api/pipelines/{name}")
class PlanController {

  /** Jobs listed in one JSON answer unless the client pages; the summary always counts all. */
  static final int DEFAULT_LIMIT = 10_000;

  static final int MAX_LIMIT = 100_000;

  private final PlanService plans;

  PlanController(PlanService plans) {
    this.plans = plans;
  }

  @PostMapping(path = "/plan", produces = MediaType.APPLICATION_JSON_VALUE)
  PlanView plan(
      @PathVariable String name,
      @RequestBody(required = false) @Nullable PlanBody body,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
    if (offset < 0 || limit < 0 || limit > MAX_LIMIT) {
      throw new BadPageException(MAX_LIMIT);
    }
    PlanBody request = body == null ? PlanBody.EMPTY : body;
    VersionedPlan versioned = plans.plan(name, request.version(), request.toRequest());
    return PlanView.of(versioned, offset, limit);
  }

  @PostMapping(path = "/plan", produces = MediaType.TEXT_PLAIN_VALUE)
  String printout(
      @PathVariable String name, @RequestBody(required = false) @Nullable PlanBody body) {
    PlanBody request = body == null ? PlanBody.EMPTY : body;
    return PlanPrinter.print(plans.plan(name, request.version(), request.toRequest()).plan());
  }

  @GetMapping(path = "/graph.svg", produces = "image/svg+xml")
  String graph(
      @PathVariable String name,
      @RequestParam(required = false) @Nullable Integer version,
      @RequestParam(required = false) @Nullable List<String> targets,
      @RequestParam(required = false) @Nullable List<String> forced,
      @RequestParam(required = false) @Nullable Integer checksumLevel) {
    PlanBody request = new PlanBody(targets, forced, checksumLevel, version);
    return TaskGraphSvg.render(plans.plan(name, version, request.toRequest()).plan());
  }

  /**
   * What a dry run asks for, as in Ruffus's {@code pipeline_printout}.
   *
   * @param targets tasks to bring up to date (default: all)
   * @param forced tasks to run even when up to date
   * @param checksumLevel 0 to 3 (default 1)
   * @param version the definition's version (default: the newest)
   */
  record PlanBody(
      @Nullable List<String> targets,
      @Nullable List<String> forced,
      @Nullable Integer checksumLevel,
      @Nullable Integer version) {

    static final PlanBody EMPTY = new PlanBody(null, null, null, null);

    private static Set<String> names(String field, @Nullable List<String> names) {
      if (names == null) {
        return Set.of();
      }
      if (names.contains(null)) {
        throw new PlanRequestException(field, field + " must be task names, not null");
      }
      return Set.copyOf(names);
    }

    PlanRequest toRequest() {
      return new PlanRequest(
          names("targets", targets),
          names("forced", forced),
          checksumLevel == null ? PlanRequest.DEFAULT_CHECKSUM_LEVEL : checksumLevel);
    }
  }

  /**
   * The JSON plan: every task, a page of the jobs, and counts over all of them.
   *
   * @param truncated whether jobs past this page exist ({@code ?offset=} to read on)
   */
  record PlanView(
      String pipeline,
      int version,
      int checksumLevel,
      Plan.Summary summary,
      List<PlannedTask> tasks,
      List<JobView> jobs,
      int offset,
      boolean truncated) {

    static PlanView of(VersionedPlan versioned, int offset, int limit) {
      Plan plan = versioned.plan();
      List<PlannedJob> all = plan.jobs();
      int from = Math.min(offset, all.size());
      int to = (int) Math.min((long) from + limit, all.size());
      return new PlanView(
          plan.pipeline(),
          versioned.version(),
          plan.checksumLevel(),
          plan.summary(),
          plan.tasks(),
          all.subList(from, to).stream().map(JobView::of).toList(),
          from,
          to < all.size());
    }
  }

  /** One job of a plan as clients read it: reasons with their text. */
  record JobView(
      String id,
      String task,
      List<String> inputs,
      List<String> outputs,
      List<String> extras,
      List<String> after,
      boolean willRun,
      List<ReasonView> reasons) {

    static JobView of(PlannedJob job) {
      return new JobView(
          job.id(),
          job.task(),
          job.inputs(),
          job.outputs(),
          job.extras(),
          job.after(),
          job.willRun(),
          job.reasons().stream().map(r -> new ReasonView(r.code(), r.detail())).toList());
    }
  }

  /**
   * @param code a stable token: missing-output, missing-input, no-history, command-changed,
   *     params-changed, input-newer, forced, upstream, always, up-to-date
   * @param detail the same for a person
   */
  record ReasonView(String code, String detail) {}
}
