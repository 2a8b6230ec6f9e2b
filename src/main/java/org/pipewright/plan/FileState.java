package org.pipewright.plan;

import java.util.List;
import java.util.OptionalLong;

/**
 * The files of one pipeline's workdir, as the planner sees them. Paths are relative to the workdir
 * and use {@code /}.
 */
public interface FileState {

  /** The modification time in nanoseconds since the epoch, or empty when the file is missing. */
  OptionalLong modifiedNanos(String path);

  /** The files matching a glob ({@code *}, {@code ?}, {@code [..]}, {@code **}), sorted by name. */
  List<String> glob(String pattern);
}
