package org.pipewright.sdk;

/**
 * A job's log, in the levels of Python's {@code logging}. Every call writes one record with the
 * time and level; a message with line breaks stays one record.
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
