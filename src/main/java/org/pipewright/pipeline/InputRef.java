package org.pipewright.pipeline;

/** One entry of a task's {@code input}: the outputs of another task, or a path or glob. */
public sealed interface InputRef {

  /** Every output of the named task (Ruffus: the task object or {@code output_from(name)}). */
  record TaskOutput(String task) implements InputRef {}

  /** A path or glob relative to the workdir; a glob expands to the files present when planning. */
  record Pattern(String pattern) implements InputRef {}
}
