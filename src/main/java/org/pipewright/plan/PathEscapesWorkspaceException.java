package org.pipewright.plan;

import org.pipewright.PipewrightException;

/** A path that resolves outside the workspace root, through {@code ..} or a symbolic link. */
public class PathEscapesWorkspaceException extends PipewrightException {

  public PathEscapesWorkspaceException(String path) {
    super("path '" + path + "' resolves outside the workspace");
  }

  @Override
  public String type() {
    return "path-escapes-workspace";
  }

  @Override
  public int status() {
    return 422;
  }

  @Override
  public String title() {
    return "Path outside the workspace";
  }
}
