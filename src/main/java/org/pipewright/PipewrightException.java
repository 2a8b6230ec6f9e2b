package org.pipewright;

import java.util.List;

/**
 * The root of every error Pipewright reports to a client. Each subclass passes its {@link
 * ProblemType} (type slug, HTTP status, title), so one advice can turn any of them into a problem
 * detail without knowing the capability it came from.
 */
public abstract class PipewrightException extends RuntimeException {

  private final ProblemType problem;

  protected PipewrightException(ProblemType problem, String message) {
    super(message);
    this.problem = problem;
  }

  protected PipewrightException(ProblemType problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  /** A stable slug such as {@code invalid-definition}; clients may switch on it. */
  public String type() {
    return problem.type();
  }

  /** The HTTP status this error maps to (always 4xx for client errors). */
  public int status() {
    return problem.status();
  }

  /** A short human title for the problem type. */
  public String title() {
    return problem.title();
  }

  /**
   * The individual mistakes behind this error, each with the path it concerns; rendered as the
   * problem's {@code errors} member. Empty unless a subclass has several things to report.
   */
  public List<FieldError> fieldErrors() {
    return List.of();
  }
}
