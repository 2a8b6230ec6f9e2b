package org.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pipewright.FieldError;

/** Test helpers: parse YAML text blocks and look at the errors they give. */
final class Definitions {

  static final DefinitionParser PARSER = new DefinitionParser();

  /** The shared-log example of DESIGN.md. */
  static final String SHARED_LOG_DEMO =
      """
      name: shared-log-demo
      workdir: shared-log-demo          # relative to the workspace root
      tasks:
        - name: task1
          files: {input: null, output: a.1}
          java: org.pipewright.examples.SharedLogJob
        - name: split_up
          split: {input: task1, output: "chunk.*.txt"}
          shell: "split -l 10 {input} chunk. && for f in chunk.??; do mv $f $f.txt; done"
        - name: count
          transform: {input: split_up, filter: {suffix: .txt}, output: .count}
          shell: "wc -l < {input} > {output}"
          jobs_limit: 4
        - name: total
          merge: {input: count, output: total.txt}
          shell: "awk '{{s += $1}} END {{print s}}' {input} > {output}"
      """;

  private Definitions() {}

  static ParsedDefinition parse(String text) {
    return PARSER.parse(text.getBytes(StandardCharsets.UTF_8), SourceFormat.YAML);
  }

  static ParsedDefinition parseJson(String text) {
    return PARSER.parse(text.getBytes(StandardCharsets.UTF_8), SourceFormat.JSON);
  }

  static PipelineDefinition definition(String yaml) {
    return parse(yaml).definition();
  }

  static TaskDefinition onlyTask(String yaml) {
    List<TaskDefinition> tasks = definition(yaml).tasks();
    assertThat(tasks).hasSize(1);
    return tasks.getFirst();
  }

  /** The exception a definition that must be refused gives. */
  static InvalidDefinitionException refusal(String yaml) {
    return refusal(PARSER, yaml, SourceFormat.YAML);
  }

  static InvalidDefinitionException refusal(
      DefinitionParser parser, String text, SourceFormat format) {
    InvalidDefinitionException e =
        catchThrowableOfType(
            InvalidDefinitionException.class,
            () -> parser.parse(text.getBytes(StandardCharsets.UTF_8), format));
    assertThat(e).as("refused: %s", text).isNotNull();
    return e;
  }

  static List<FieldError> errors(String yaml) {
    return refusal(yaml).fieldErrors();
  }

  /** Asserts that one error sits at {@code path} and its message contains every fragment. */
  static void assertRefused(String yaml, String path, String... fragments) {
    assertError(errors(yaml), path, fragments);
  }

  static void assertError(List<FieldError> errors, String path, String... fragments) {
    assertThat(errors)
        .as("errors")
        .anySatisfy(error -> {
          assertThat(error.path()).isEqualTo(path);
          assertThat(error.message()).contains(fragments);
        });
  }

  /** A one-task definition around a task body (indented as a list entry's fields). */
  static String oneTask(String taskFields) {
    return "name: p\ntasks:\n  - " + taskFields.strip().replace("\n", "\n    ") + "\n";
  }
}
