package org.pipewright.web;

import java.util.List;
import java.util.stream.Collectors;
import org.pipewright.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says which field of a JSON request body was wrong, without naming Java types: an unknown field
 * with the known ones, or a value of the wrong shape.
 */
final class JsonBodyErrors {

  private JsonBodyErrors() {}

  static List<FieldError> of(Throwable ex) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnrecognizedPropertyException unknown) {
        String known =
            unknown.getKnownPropertyIds().stream()
                .map(String::valueOf)
                .sorted()
                .collect(Collectors.joining(", "));
        return List.of(new FieldError(path(unknown), "unknown field; allowed: " + known));
      }
      if (cause instanceof MismatchedInputException mismatch) {
        return List.of(new FieldError(path(mismatch), "wrong type of value"));
      }
      if (cause instanceof JacksonException json) {
        var location = json.getLocation();
        String where =
            location == null
                ? ""
                : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
        String original = json.getOriginalMessage();
        if (original != null && original.contains("UTF-8")) {
          return List.of(new FieldError("", where + "not valid UTF-8; a JSON body must be UTF-8"));
        }
        return List.of(new FieldError("", where + "not well-formed JSON"));
      }
    }
    return List.of();
  }

  private static String path(JacksonException ex) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : ex.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
