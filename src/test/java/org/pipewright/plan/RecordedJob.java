package org.pipewright.plan;

import java.util.List;

/**
 * One job as both sides of the Ruffus parity suite record it: the line {@code ruffus_case.py}
 * appends to {@code jobs.jsonl}.
 *
 * @param task the task (Ruffus: the job function's name)
 * @param inputs every input file, flattened and sorted
 * @param outputs the outputs in order; for split and subdivide the files the job made
 * @param extras the extra parameters as text
 */
record RecordedJob(String task, List<String> inputs, List<String> outputs, List<String> extras) {

  RecordedJob {
    inputs = inputs.stream().sorted().toList();
    outputs = List.copyOf(outputs);
    extras = List.copyOf(extras);
  }

  @Override
  public String toString() {
    return task + " " + inputs + " -> " + outputs + (extras.isEmpty() ? "" : " " + extras);
  }
}
