package org.pipewright.pipeline;

import java.util.List;
import org.pipewright.plan.InvalidTemplateException;

/** Checks, before any file exists, that a task's templates only use what its filter supplies. */
@FunctionalInterface
interface TemplateCheck {

  /**
   * @throws InvalidTemplateException naming what the template uses and the filter lacks
   */
  void check(String template);

  /** Records one error per template that fails. */
  default void checkAll(List<Read.Located> templates, Errors errors) {
    for (Read.Located template : templates) {
      try {
        check(template.value());
      } catch (InvalidTemplateException e) {
        errors.add(template.path(), e.getMessage());
      }
    }
  }
}
