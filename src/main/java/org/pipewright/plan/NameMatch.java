package org.pipewright.plan;

import java.util.List;

/**
 * The match of a {@link NameFilter} on one input item, or a tuple of them (product, combinations).
 */
public interface NameMatch {

  /**
   * Replaces the filter's references in a template: {@code \1}/{@code \g<name>} for regex and
   * suffix, {@code {basename[0]}} etc. for formatter; {@code {{}} and {@code }}} become braces in
   * formatter templates, as in Python's {@code str.format}.
   *
   * @throws InvalidTemplateException when the template names a group or key the match lacks
   */
  String substitute(String template);

  /**
   * Replaces the filter's references in an extras, {@code add_inputs} or {@code inputs} template.
   * Only {@code suffix} differs from {@link #substitute}: Ruffus keeps the name before the suffix
   * in outputs ({@code ".log"} gives {@code "a.log"}) but replaces the whole name elsewhere ({@code
   * ".log"} gives {@code ".log"}, {@code "\\1.log"} gives {@code "a.log"}).
   *
   * @throws InvalidTemplateException when the template names a group or key the match lacks
   */
  default String substituteExtra(String template) {
    return substitute(template);
  }

  /**
   * Combines formatter matches of several items into one whose keys take a leading index, as
   * Ruffus's product and combinatorics do: {@code {basename[1][0]}} is the first file of the second
   * item.
   */
  static NameMatch tuple(List<NameMatch> parts) {
    return NameFilters.tuple(parts);
  }
}
