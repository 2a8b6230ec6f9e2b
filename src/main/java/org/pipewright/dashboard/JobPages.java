package org.pipewright.dashboard;

import java.time.Clock;
import org.pipewright.run.JobRow;
import org.pipewright.run.RunService;
import org.pipewright.sharedlog.SharedLog;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** One job: what it ran, how each attempt went, what it wrote, and its lines of the log. */
@Controller
class JobPages {

  static final int LINES = 1000;

  private final RunService runs;
  private final SharedLog log;
  private final Clock clock;

  JobPages(RunService runs, SharedLog log, Clock clock) {
    this.runs = runs;
    this.log = log;
    this.clock = clock;
  }

  @GetMapping("/jobs/{id}")
  String job(@PathVariable long id, Model model) {
    JobRow job = runs.job(id);
    model.addAttribute("job", job);
    model.addAttribute("line", JobLine.of(job));
    model.addAttribute("run", runs.run(job.runId()));
    model.addAttribute("attempts", runs.attempts(job));
    model.addAttribute("logDir", JobRow.logDir(job.runId(), job.task(), job.key()));
    model.addAttribute(
        "waited", Durations.between(job.queuedAt(), job.startedAt(), clock.instant()));
    model.addAttribute(
        "took", Durations.between(job.startedAt(), job.finishedAt(), clock.instant()));
    LogView lines = LogView.latest(log, null, id, null, null, null, LINES);
    // A job that ended writes no more; its page need not hold a stream open.
    model.addAttribute(
        "view",
        job.state().isFinal() ? new LogView(lines.records(), null, lines.earlier()) : lines);
    return "job";
  }
}
