package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.pipewright.FieldError;

/** Collects the problems of one definition, with the helpers that spell their paths. */
final class Errors {

  /** Past this many, further problems are counted, not listed. */
  static final int MAX_LISTED = 100;

  private final List<FieldError> errors = new ArrayList<>();
  private int unlisted;
  private boolean pastLimit;

  void add(String path, String message) {
    if (errors.size() < MAX_LISTED) {
      errors.add(new FieldError(path, message));
    } else {
      unlisted++;
    }
  }

  /** A problem that is a limit passed: the definition is refused as too large (413). */
  void addPastLimit(String path, String message) {
    pastLimit = true;
    add(path, message);
  }

  /** A problem, which is a limit passed when {@code pastLimit}. */
  void add(String path, String message, boolean pastLimit) {
    if (pastLimit) {
      addPastLimit(path, message);
    } else {
      add(path, message);
    }
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  int count() {
    return errors.size() + unlisted;
  }

  List<FieldError> list() {
    if (unlisted == 0) {
      return List.copyOf(errors);
    }
    List<FieldError> all = new ArrayList<>(errors);
    all.add(new FieldError("", unlisted + " more errors not listed"));
    return all;
  }

  InvalidDefinitionException toException() {
    return pastLimit
        ? new DefinitionTooLargeException(list())
        : new InvalidDefinitionException(list());
  }

  /** {@code tasks} under {@code ""}, {@code tasks[0].name} under {@code tasks[0]}. */
  static String field(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }
}
