package org.pipewright.plan;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/**
 * A file or folder of the workspace the service cannot read (left by a job run as another user,
 * say): the plan cannot be made until it is readable again.
 */
public class WorkspaceUnreadableException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("workspace-unreadable", 409, "Workspace not readable");

  public WorkspaceUnreadableException(String path, Exception cause) {
    super(PROBLEM, "cannot read '" + path + "' in the workspace", cause);
  }
}
