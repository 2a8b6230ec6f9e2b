package org.pipewright.lock;

import org.pipewright.PipewrightException;
import org.pipewright.ProblemType;

/** A caller asked for one more lock than it may hold or wait for at once (429). */
public class TooManyLocksException extends PipewrightException {

  private static final ProblemType PROBLEM =
      new ProblemType("too-many-locks", 429, "Too many locks");

  TooManyLocksException(int max) {
    this(
        "this caller already holds or waits for "
            + max
            + " locks, the most allowed (pipewright.locks.max-per-owner): release one first");
  }

  TooManyLocksException(String detail) {
    super(PROBLEM, detail);
  }
}
