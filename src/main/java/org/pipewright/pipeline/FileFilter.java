package org.pipewright.pipeline;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A Ruffus file-name filter: which inputs a job takes and how output names derive from them. */
public sealed interface FileFilter {

  /**
   * {@code suffix(".txt")}: inputs ending with the suffix; outputs replace it. {@code \1} in
   * outputs and extras is the name without the suffix.
   *
   * @param outputDir Ruffus's {@code output_dir}: outputs go to this folder instead of the input's
   */
  record Suffix(String suffix, @Nullable String outputDir) implements FileFilter {}

  /** {@code regex(r"...")}: Python regex searched in each name; {@code \1}, {@code \g<name>}. */
  record Regex(String pattern) implements FileFilter {}

  /**
   * {@code formatter(...)}: one optional Python regex per file of an input item; outputs use {@code
   * {basename[0]}}, {@code {ext[0]}}, {@code {path[0]}}, {@code {subpath[0][1]}}, {@code
   * {subdir[0][1]}} and named groups {@code {NAME[0]}}. A {@code null} pattern matches any file.
   */
  record Formatter(List<@Nullable String> patterns) implements FileFilter {
    public Formatter {
      patterns = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(patterns));
    }
  }
}
