package org.pipewright;

/**
 * One thing wrong with a request, located by the path of the offending field.
 *
 * @param path where it is, like {@code tasks[2].transform.filter.regex}
 * @param message what is wrong, for a person
 */
public record FieldError(String path, String message) {}
