package org.pipewright.pipeline;

/**
 * How a task's jobs are judged up to date. Ruffus's {@code @check_if_uptodate} takes a Python
 * function; a service cannot run user code while planning, so the common choices are named.
 */
public enum UptodateCheck {
  /** Missing outputs, inputs newer than outputs, history and checksums (the default). */
  TIMESTAMPS,
  /** Run only when an output is missing; ignore times and history (Snakemake's {@code ancient}). */
  OUTPUTS_EXIST,
  /** Always run, like a check function that always returns {@code True}. */
  ALWAYS
}
