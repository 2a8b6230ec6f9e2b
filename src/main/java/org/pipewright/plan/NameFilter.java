package org.pipewright.plan;

import java.util.List;
import java.util.Optional;
import org.pipewright.pipeline.FileFilter;

/**
 * A compiled Ruffus file-name filter ({@code suffix}, {@code regex}, {@code formatter}). It decides
 * which input items a job takes and substitutes the match into output, extras and input templates.
 */
public interface NameFilter {

  /**
   * Compiles a filter, translating Python regex syntax ({@code (?P<name>...)}) to Java.
   *
   * @throws InvalidTemplateException when a pattern does not compile
   */
  static NameFilter compile(FileFilter spec) {
    return NameFilters.compile(spec);
  }

  /**
   * Matches one input item: the files of one upstream job, or one file of a glob.
   *
   * @return the match, or empty when Ruffus would leave this item out
   */
  Optional<NameMatch> match(List<String> item);

  /**
   * Checks, before any file exists, that a template only uses what this filter can supply: a {@code
   * \N} or named group the regex has, a formatter key that exists.
   *
   * @throws InvalidTemplateException naming the group or key that is missing
   */
  void checkTemplate(String template);
}
