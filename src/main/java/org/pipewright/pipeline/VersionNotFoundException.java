package org.pipewright.pipeline;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** The pipeline exists but has no such version. */
public class VersionNotFoundException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("version-not-found", 404, "Pipeline version not found");

  private final String name;
  private final int version;

  public VersionNotFoundException(String name, int version) {
    super(PROBLEM, "Pipeline '" + name + "' has no version " + version);
    this.name = name;
    this.version = version;
  }

  /** The pipeline's name. */
  public String name() {
    return name;
  }

  /** The version that was asked for. */
  public int version() {
    return version;
  }
}
