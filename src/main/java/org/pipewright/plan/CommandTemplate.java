package org.pipewright.plan;

import java.util.List;

/**
 * A job's command with placeholders: {@code {input}} (all inputs, space-separated),
 * {@code {input[0]}}, {@code {output}}, {@code {output[1]}}, {@code {extras[0]}}, {@code {workdir}};
 * {@code {{}} and {@code }}} are literal braces. Every substituted value is shell-quoted.
 */
public final class CommandTemplate {

  private CommandTemplate() {}

  /**
   * Parses a template.
   *
   * @throws InvalidTemplateException on an unknown placeholder or an unbalanced brace
   */
  public static CommandTemplate parse(String template) {
    throw new UnsupportedOperationException("not yet written");
  }

  /**
   * Renders the command for one job.
   *
   * @throws InvalidTemplateException when an index is past the end of its list
   */
  public String render(Values values) {
    throw new UnsupportedOperationException("not yet written");
  }

  /** What a job's placeholders are replaced with. */
  public record Values(
      List<String> inputs, List<String> outputs, List<String> extras, String workdir) {}
}
