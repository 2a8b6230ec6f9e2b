package org.pipewright.pipeline;

import org.pipewright.PipewrightException;

/** The pipeline exists but has no such version. */
public class VersionNotFoundException extends PipewrightException {

  private final String name;
  private final int version;

  public VersionNotFoundException(String name, int version) {
    super("Pipeline '" + name + "' has no version " + version);
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

  @Override
  public String type() {
    return "version-not-found";
  }

  @Override
  public int status() {
    return 404;
  }

  @Override
  public String title() {
    return "Pipeline version not found";
  }
}
