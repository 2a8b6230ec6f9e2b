package org.pipewright.plan;

import org.pipewright.PipewrightException;

/**
 * A file or folder of the workspace the service cannot read (left by a job run as another user,
 * say): the plan cannot be made until it is readable again.
 */
public class WorkspaceUnreadableException extends PipewrightException {

  public WorkspaceUnreadableException(String path, Exception cause) {
    super("cannot read '" + path + "' in the workspace", cause);
  }

  @Override
  public String type() {
    return "workspace-unreadable";
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String title() {
    return "Workspace not readable";
  }
}
