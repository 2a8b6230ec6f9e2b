package org.pipewright;

/**
 * One thing wrong with one part of a request, reported in a problem detail's {@code errors} list.
 *
 * @param path where the problem is, as a dotted path with indexes ({@code
 *     tasks[2].transform.input}) or empty when it concerns the whole document
 * @param message what is wrong there, for a human
 */
public record FieldError(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
