package org.pipewright.dashboard;

import org.jspecify.annotations.Nullable;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.SharedLog;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The shared log: its newest lines, filtered, then followed live by the page's script. */
@Controller
class LogPages {

  static final int LINES = 300;

  private final SharedLog log;

  LogPages(SharedLog log) {
    this.log = log;
  }

  @GetMapping("/logs")
  String logs(
      @RequestParam(required = false) @Nullable Long run,
      @RequestParam(required = false) @Nullable Long job,
      @RequestParam(required = false) @Nullable LogLevel level,
      @RequestParam(required = false) @Nullable String q,
      @RequestParam(required = false) @Nullable Long before,
      Model model) {
    String text = q == null || q.isBlank() ? null : q;
    model.addAttribute("view", LogView.latest(log, run, job, level, text, before, LINES));
    model.addAttribute("run", run);
    model.addAttribute("job", job);
    model.addAttribute("level", level);
    model.addAttribute("q", text);
    model.addAttribute("levels", LogLevel.values());
    return "logs";
  }
}
