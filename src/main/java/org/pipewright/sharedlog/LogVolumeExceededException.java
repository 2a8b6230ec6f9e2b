package org.pipewright.sharedlog;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A job wrote more to the shared log within a minute than it may (429). */
public class LogVolumeExceededException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("log-volume-exceeded", 429, "Too much log");

  LogVolumeExceededException(long jobId, long bytesPerMinute) {
    super(
        PROBLEM,
        "job "
            + jobId
            + " wrote more than "
            + bytesPerMinute
            + " characters to the shared log within this minute"
            + " (pipewright.shared-log.max-job-chars-per-minute); send the rest after the minute");
  }
}
