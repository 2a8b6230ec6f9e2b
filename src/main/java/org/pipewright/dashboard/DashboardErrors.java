package org.pipewright.dashboard;

import jakarta.servlet.http.HttpServletResponse;
import org.pipewright.PipewrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * A page that cannot be shown (a run that does not exist, a run that cannot start) is answered with
 * a page that says why, with the status the API would give, instead of problem JSON.
 */
@ControllerAdvice(
    assignableTypes = {RunPages.class, JobPages.class, LogPages.class, PipelinePages.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardErrors {

  private static final Logger log = LoggerFactory.getLogger(DashboardErrors.class);

  @ExceptionHandler(PipewrightException.class)
  String known(PipewrightException e, HttpServletResponse response, Model model) {
    if (e.status() >= 500) {
      log.warn("A dashboard page could not be shown: {}", e.getMessage());
    }
    response.setStatus(e.status());
    model.addAttribute("status", e.status());
    model.addAttribute("title", e.title());
    model.addAttribute("detail", e.getMessage());
    return "problem";
  }

  @ExceptionHandler(ServletRequestBindingException.class)
  String missing(ServletRequestBindingException e, HttpServletResponse response, Model model) {
    response.setStatus(400);
    model.addAttribute("status", 400);
    model.addAttribute("title", "Bad request");
    model.addAttribute("detail", e.getBody().getDetail());
    return "problem";
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  String badParameter(
      MethodArgumentTypeMismatchException e, HttpServletResponse response, Model model) {
    response.setStatus(400);
    model.addAttribute("status", 400);
    model.addAttribute("title", "Bad request");
    model.addAttribute("detail", "'" + e.getValue() + "' is not a valid " + e.getName() + ".");
    return "problem";
  }
}
