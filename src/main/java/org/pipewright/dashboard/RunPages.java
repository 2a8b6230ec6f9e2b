package org.pipewright.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.run.JobRow;
import org.pipewright.run.JobState;
import org.pipewright.run.RunCounts;
import org.pipewright.run.RunRequest;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunService;
import org.pipewright.run.RunState;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The runs: the list that opens the dashboard, one run's page, and its cancel and re-run buttons.
 */
@Controller
class RunPages {

  static final int RUNS_PER_PAGE = 25;
  static final int JOBS_PER_PAGE = 50;
  private static final int MAX_PER_PAGE = 500;

  private final RunService runs;
  private final PipelineCatalog catalog;
  private final Clock clock;

  RunPages(RunService runs, PipelineCatalog catalog, Clock clock) {
    this.runs = runs;
    this.catalog = catalog;
    this.clock = clock;
  }

  @GetMapping("/")
  String list(
      @RequestParam(required = false) @Nullable String pipeline,
      @RequestParam(required = false) @Nullable RunState state,
      @RequestParam(defaultValue = "0") int offset,
      HttpServletRequest request,
      Model model) {
    offset = Math.max(0, offset);
    String name = pipeline == null || pipeline.isBlank() ? null : pipeline;
    Instant now = clock.instant();
    // One more than shown says whether a next page exists without counting every run.
    List<RunRow> rows = runs.runs(name, state, offset, RUNS_PER_PAGE + 1);
    List<RunCard> cards =
        rows.stream()
            .limit(RUNS_PER_PAGE)
            .map(run -> RunCard.of(run, runs.counts(run), now))
            .toList();
    model.addAttribute("runs", cards);
    model.addAttribute("pipeline", name);
    model.addAttribute("state", state);
    model.addAttribute("states", RunState.values());
    model.addAttribute("pipelines", catalog.list());
    model.addAttribute(
        "page", Page.uncounted(offset, RUNS_PER_PAGE, cards.size(), rows.size() > RUNS_PER_PAGE));
    model.addAttribute("anyActive", cards.stream().anyMatch(RunCard::active) || offset == 0);
    return Fragments.view("runs", request, Set.of("live"));
  }

  @GetMapping("/runs/{id}")
  String run(
      @PathVariable long id,
      @RequestParam(required = false) @Nullable String task,
      @RequestParam(required = false) @Nullable JobState state,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "" + JOBS_PER_PAGE) int limit,
      HttpServletRequest request,
      Model model) {
    RunRow run = runs.run(id);
    var counts = runs.counts(run);
    RunCard card = RunCard.of(run, counts, clock.instant());
    String taskFilter = task == null || task.isBlank() ? null : task;
    offset = Math.max(0, offset);
    limit = Math.clamp(limit, 1, MAX_PER_PAGE);
    List<JobRow> jobs = runs.jobs(id, taskFilter, state, offset, limit);
    long total = total(card, taskFilter, state);
    model.addAttribute("run", card);
    model.addAttribute("jobs", jobs.stream().map(JobLine::of).toList());
    model.addAttribute("task", taskFilter);
    model.addAttribute("state", state);
    model.addAttribute("states", JobState.values());
    model.addAttribute("page", Page.of(total, offset, limit));
    model.addAttribute(
        "graph",
        RunGraph.svg(
            catalog.definition(catalog.version(run.pipeline(), run.pipelineVersion())),
            counts,
            name -> "/runs/" + id + "?task=" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
    return Fragments.view("run", request, Set.of("live"));
  }

  @PostMapping("/runs/{id}/cancel")
  String cancel(@PathVariable long id) {
    runs.cancel(id);
    return "redirect:/runs/" + id;
  }

  @PostMapping("/runs/{id}/rerun")
  String rerun(@PathVariable long id) {
    RunRow run = runs.run(id);
    RunRequest asked = run.request();
    // The same definition version as the run it repeats, even if it asked for the newest.
    RunRow again =
        runs.start(
            new RunRequest(
                asked.pipeline(),
                run.pipelineVersion(),
                asked.targets(),
                asked.forced(),
                asked.touchOnly(),
                asked.checksumLevel(),
                asked.keepGoing()));
    return "redirect:/runs/" + again.id();
  }

  /** Jobs that match the filters; from the counts in hand, so a page never counts the table. */
  private static long total(RunCard run, @Nullable String task, @Nullable JobState state) {
    long total = 0;
    for (RunCounts.TaskCounts line : run.tasks()) {
      if (task == null || line.task().equals(task)) {
        total += state == null ? line.jobs() : line.counts().getOrDefault(state, 0);
      }
    }
    return total;
  }
}
