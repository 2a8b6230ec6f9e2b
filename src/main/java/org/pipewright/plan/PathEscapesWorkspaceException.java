package org.pipewright.plan;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A path that resolves outside the workspace root, through {@code ..} or a symbolic link. */
public class PathEscapesWorkspaceException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("path-escapes-workspace", 422, "Path outside the workspace");

  public PathEscapesWorkspaceException(String path) {
    super(PROBLEM, "path '" + path + "' resolves outside the workspace");
  }
}
