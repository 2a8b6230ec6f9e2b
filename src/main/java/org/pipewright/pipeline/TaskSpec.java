package org.pipewright.pipeline;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Ruffus task kinds. Outputs and extras are templates: with a filter they may use its groups
 * ({@code \1}, {@code {basename[0]}}); elsewhere they are literal names.
 */
public sealed interface TaskSpec {

  /** The kind as written in definitions. */
  String kind();

  /** {@code @originate(outputs)}: one job per entry, each entry one or more outputs, no inputs. */
  record Originate(List<List<String>> outputs, List<String> extras) implements TaskSpec {
    public String kind() {
      return "originate";
    }
  }

  /** {@code @files}: explicit jobs, each with its own inputs, outputs and extras. */
  record Files(List<FileJob> jobs) implements TaskSpec {
    public String kind() {
      return "files";
    }
  }

  /** One job of {@code @files}. */
  record FileJob(List<InputRef> input, List<String> output, List<String> extras) {}

  /** {@code @transform}: one job per input item that the filter matches. */
  record Transform(
      List<InputRef> input,
      FileFilter filter,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier inputs)
      implements TaskSpec {
    public String kind() {
      return "transform";
    }
  }

  /** {@code @merge}: one job taking every input. */
  record Merge(List<InputRef> input, List<String> output, List<String> extras) implements TaskSpec {
    public String kind() {
      return "merge";
    }
  }

  /** {@code @split}: one job whose outputs are globs, known only after it ran. */
  record Split(List<InputRef> input, List<String> output, List<String> extras) implements TaskSpec {
    public String kind() {
      return "split";
    }
  }

  /** {@code @subdivide}: one job per input item; its outputs are globs known after it ran. */
  record Subdivide(
      List<InputRef> input,
      FileFilter filter,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier inputs)
      implements TaskSpec {
    public String kind() {
      return "subdivide";
    }
  }

  /** {@code @collate}: input items whose substituted outputs are equal form one job. */
  record Collate(
      List<InputRef> input,
      FileFilter filter,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier inputs)
      implements TaskSpec {
    public String kind() {
      return "collate";
    }
  }

  /** {@code @product}: one job per combination of one item from each input set (formatter only). */
  record Product(
      List<InputSet> sets,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier inputs)
      implements TaskSpec {
    public String kind() {
      return "product";
    }
  }

  /** One input set of {@code @product}. */
  record InputSet(List<InputRef> input, FileFilter.Formatter filter) {}

  /**
   * {@code @permutations}, {@code @combinations}, {@code @combinations_with_replacement}: one job
   * per tuple of {@code r} input items, in Python's {@code itertools} order.
   */
  record Combinatoric(
      Combinatorics variant,
      List<InputRef> input,
      FileFilter.Formatter filter,
      int r,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier inputs)
      implements TaskSpec {
    public String kind() {
      return variant.yamlName();
    }
  }

  /** Which itertools function a {@link Combinatoric} task follows. */
  enum Combinatorics {
    PERMUTATIONS("permutations"),
    COMBINATIONS("combinations"),
    COMBINATIONS_WITH_REPLACEMENT("combinations_with_replacement");

    private final String yamlName;

    Combinatorics(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }
  }

  /** {@code @parallel}: one job per parameter list, no files, always run. */
  record Parallel(List<List<String>> jobs) implements TaskSpec {
    public String kind() {
      return "parallel";
    }
  }

  /**
   * {@code add_inputs(...)} or {@code replace_inputs(...)}: templates substituted with the filter's
   * match and appended to, or put in place of, a job's inputs.
   */
  record InputsModifier(boolean replace, List<String> templates) {}
}
