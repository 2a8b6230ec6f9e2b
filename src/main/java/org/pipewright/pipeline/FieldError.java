package org.pipewright.pipeline;

/**
 * One problem in a pipeline definition.
 *
 * @param path where it is, such as {@code tasks[2].transform.filter.regex}, {@code tasks[2]} for a
 *     task as a whole, or {@code ""} for the whole definition
 * @param message what is wrong, for a person to read
 */
public record FieldError(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
