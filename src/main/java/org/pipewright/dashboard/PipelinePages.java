package org.pipewright.dashboard;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.PipewrightException;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.StoredPipeline;
import org.pipewright.plan.Plan;
import org.pipewright.plan.PlanRequest;
import org.pipewright.plan.TaskGraphSvg;
import org.pipewright.run.PlanService;
import org.pipewright.run.RunRequest;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pipelines: their definitions and versions, a dry run with the reason for each job and the
 * task graph, and the button that starts a run.
 */
@Controller
class PipelinePages {

  static final int PLAN_JOBS_PER_PAGE = 100;

  private final PipelineCatalog catalog;
  private final PlanService plans;
  private final RunService runs;

  PipelinePages(PipelineCatalog catalog, PlanService plans, RunService runs) {
    this.catalog = catalog;
    this.plans = plans;
    this.runs = runs;
  }

  @GetMapping("/pipelines")
  String list(Model model) {
    model.addAttribute("pipelines", catalog.list());
    return "pipelines";
  }

  @GetMapping("/pipelines/{name}")
  String pipeline(
      @PathVariable String name,
      @RequestParam(required = false) @Nullable Integer version,
      @RequestParam(defaultValue = "0") int offset,
      Model model) {
    StoredPipeline stored = version == null ? catalog.latest(name) : catalog.version(name, version);
    model.addAttribute("pipeline", stored);
    model.addAttribute("versions", catalog.versions(name).reversed());
    model.addAttribute("latest", catalog.latest(name).version());
    model.addAttribute("recent", runs.runs(name, null, 0, 5));
    try {
      Plan plan =
          plans
              .plan(
                  name,
                  stored.version(),
                  new PlanRequest(
                      java.util.Set.of(), java.util.Set.of(), PlanRequest.DEFAULT_CHECKSUM_LEVEL))
              .plan();
      int from = Math.clamp(offset, 0, plan.jobs().size());
      int to = Math.min(plan.jobs().size(), from + PLAN_JOBS_PER_PAGE);
      model.addAttribute("plan", plan);
      model.addAttribute("jobs", plan.jobs().subList(from, to));
      model.addAttribute("page", Page.of(plan.jobs().size(), from, PLAN_JOBS_PER_PAGE));
      model.addAttribute("graph", TaskGraphSvg.render(plan));
    } catch (PipewrightException e) {
      // The definition is stored but cannot be planned now (say its workdir is unreadable): the
      // page still shows it, with why.
      model.addAttribute("planError", e.getMessage());
    }
    return "pipeline";
  }

  @PostMapping("/pipelines/{name}/runs")
  String start(
      @PathVariable String name,
      @RequestParam int version,
      @RequestParam(required = false) @Nullable List<String> targets,
      @RequestParam(required = false) @Nullable List<String> forced,
      @RequestParam(defaultValue = "false") boolean touchOnly,
      @RequestParam(defaultValue = "false") boolean keepGoing) {
    RunRow run =
        runs.start(
            new RunRequest(
                name,
                version,
                targets == null ? List.of() : targets,
                forced == null ? List.of() : forced,
                touchOnly,
                PlanRequest.DEFAULT_CHECKSUM_LEVEL,
                keepGoing));
    return "redirect:/runs/" + run.id();
  }
}
