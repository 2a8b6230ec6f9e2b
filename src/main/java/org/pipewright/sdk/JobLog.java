package org.pipewright.sdk;

/**
 * A job's log, in the levels of Python's {@code logging}: the control plane's shared log. Every
 * call writes one record with the time and level; a message with line breaks, or with a stack
 * trace, stays one record. A message longer than 16,384 characters is cut and ends with {@code ...
 * [truncated N chars]}. A call may wait briefly when the worker has many records still to send.
 */
public interface JobLog {

  /**
   * Writes a record at level DEBUG.
   *
   * @param message the text
   */
  void debug(String message);

  /**
   * Writes a record at level INFO.
   *
   * @param message the text
   */
  void info(String message);

  /**
   * Writes a record at level WARN.
   *
   * @param message the text
   */
  void warn(String message);

  /**
   * Writes a record at level WARN with a throwable's stack trace.
   *
   * @param message the text
   * @param error its stack trace, causes included, follows the message
   */
  void warn(String message, Throwable error);

  /**
   * Writes a record at level ERROR.
   *
   * @param message the text
   */
  void error(String message);

  /**
   * Writes a record at level ERROR with a throwable's stack trace.
   *
   * @param message the text
   * @param error its stack trace, causes included, follows the message
   */
  void error(String message, Throwable error);
}
