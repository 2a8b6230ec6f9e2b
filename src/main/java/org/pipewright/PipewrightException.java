package org.pipewright;

import java.util.List;

/**
 * The root of every error Pipewright reports to a client. Each subclass names its problem {@link
 * #type() type} (the last segment of the problem's type URI) and HTTP status, so one advice can
 * turn any of them into a problem detail without knowing the capability it came from.
 */
public abstract class PipewrightException extends RuntimeException {

  protected PipewrightException(String message) {
    super(message);
  }

  protected PipewrightException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A stable slug such as {@code invalid-definition}; clients may switch on it. */
  public abstract String type();

  /** The HTTP status this error maps to (always 4xx for client errors). */
  public abstract int status();

  /** A short human title for the problem type. */
  public abstract String title();

  /**
   * The individual mistakes behind this error, each with the path it concerns; rendered as the
   * problem's {@code errors} member. Empty unless a subclass has several things to report.
   */
  public List<FieldError> fieldErrors() {
    return List.of();
  }
}
