package org.pipewright.pipeline;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** No pipeline has this name. */
public class PipelineNotFoundException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("pipeline-not-found", 404, "Pipeline not found");

  private final String name;

  public PipelineNotFoundException(String name) {
    super(PROBLEM, "No pipeline is named '" + name + "'");
    this.name = name;
  }

  /** The name that was asked for. */
  public String name() {
    return name;
  }
}
