package org.pipewright.pipeline;

import org.pipewright.PipewrightException;

/** No pipeline has this name. */
public class PipelineNotFoundException extends PipewrightException {

  private final String name;

  public PipelineNotFoundException(String name) {
    super("No pipeline is named '" + name + "'");
    this.name = name;
  }

  /** The name that was asked for. */
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "pipeline-not-found";
  }

  @Override
  public int status() {
    return 404;
  }

  @Override
  public String title() {
    return "Pipeline not found";
  }
}
