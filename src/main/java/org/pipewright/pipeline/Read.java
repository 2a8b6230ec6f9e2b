package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed reading of the parsed tree. A reader that meets the wrong type records a {@link FieldError}
 * and returns {@code null} or an empty list, so binding goes on and finds the other problems. An
 * absent key and an explicit {@code null} mean the same.
 */
final class Read {

  private Read() {}

  /** A string of the definition with the path it was read from. */
  record Located(String value, String path) {}

  static String typeOf(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    } else if (node.isArray()) {
      return "a list";
    } else if (node.isString()) {
      return "a string";
    } else if (node.isNumber()) {
      return "a number";
    } else if (node.isBoolean()) {
      return "a boolean";
    }
    return "null";
  }

  static boolean isAbsent(@Nullable JsonNode node) {
    return node == null || node.isNull();
  }

  static @Nullable ObjectNode mapping(JsonNode node, String path, String what, Errors errors) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    errors.add(path, "must be a mapping (" + what + "), not " + typeOf(node));
    return null;
  }

  /** Records every key of {@code node} that is not allowed, with the allowed ones. */
  static void allowOnly(ObjectNode node, String path, List<String> allowed, Errors errors) {
    for (String key : node.propertyNames()) {
      if (!allowed.contains(key)) {
        String hint =
            Suggest.closest(key, allowed).map(s -> "did you mean '" + s + "'? ").orElse("");
        errors.add(
            Errors.field(path, key),
            "unknown field '" + key + "'; " + hint + "allowed: " + String.join(", ", allowed));
      }
    }
  }

  /** A required string: absent, null or another type is an error. */
  static @Nullable String requiredString(
      ObjectNode parent, String key, String path, Errors errors) {
    JsonNode node = parent.get(key);
    String at = Errors.field(path, key);
    if (isAbsent(node)) {
      errors.add(at, "is required");
      return null;
    }
    return string(node, at, errors);
  }

  /** An optional string, {@code null} when absent. */
  static @Nullable String optionalString(
      ObjectNode parent, String key, String path, Errors errors) {
    JsonNode node = parent.get(key);
    return isAbsent(node) ? null : string(node, Errors.field(path, key), errors);
  }

  static @Nullable String string(JsonNode node, String path, Errors errors) {
    if (node.isString()) {
      return node.stringValue();
    }
    errors.add(path, "must be a string, not " + typeOf(node));
    return null;
  }

  /**
   * A string or a list of strings; with {@code scalars}, numbers and booleans count as their text.
   * Absent gives an empty list.
   */
  static List<Located> strings(
      @Nullable JsonNode node, String path, boolean scalars, Errors errors) {
    List<Located> result = new ArrayList<>();
    if (isAbsent(node)) {
      return result;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        String at = Errors.index(path, i);
        if (isText(item, scalars)) {
          result.add(new Located(item.asString(), at));
        } else {
          errors.add(at, "must be a string, not " + typeOf(item));
        }
      }
    } else if (isText(node, scalars)) {
      result.add(new Located(node.asString(), path));
    } else {
      errors.add(path, "must be a string or a list of strings, not " + typeOf(node));
    }
    return result;
  }

  static boolean isText(JsonNode node, boolean scalars) {
    return node.isString() || (scalars && (node.isNumber() || node.isBoolean()));
  }

  static List<String> values(List<Located> located) {
    return located.stream().map(Located::value).toList();
  }

  static @Nullable Integer integer(JsonNode node, String path, int min, int max, Errors errors) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      errors.add(path, "must be a whole number from " + min + " to " + max + ", not " + show(node));
      return null;
    }
    int value = node.intValue();
    if (value < min || value > max) {
      errors.add(path, "must be from " + min + " to " + max + ", not " + value);
      return null;
    }
    return value;
  }

  static @Nullable Boolean bool(JsonNode node, String path, Errors errors) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    errors.add(path, "must be true or false, not " + show(node));
    return null;
  }

  /** A value as a message shows it: short scalars as written, containers by type. */
  static String show(JsonNode node) {
    if (node.isString()) {
      String text = node.stringValue();
      return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
    return node.isNumber() || node.isBoolean() ? node.asString() : typeOf(node);
  }
}
