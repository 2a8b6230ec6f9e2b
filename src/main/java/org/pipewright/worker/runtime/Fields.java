package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of the members of a parsed JSON object, each refusing a missing or mistyped member
 * with a message that names it: what the protocol's answers are read with.
 */
final class Fields {

  private Fields() {}

  static long requireLong(Map<String, Object> object, String name) {
    if (object.get(name) instanceof Long value) {
      return value;
    }
    throw wrong(object, name, "an integer");
  }

  static long optLong(Map<String, Object> object, String name, long fallback) {
    Object value = object.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Long number) {
      return number;
    }
    throw wrong(object, name, "an integer");
  }

  static int requireInt(Map<String, Object> object, String name) {
    long value = requireLong(object, name);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw wrong(object, name, "a 32-bit integer");
    }
    return (int) value;
  }

  static String requireString(Map<String, Object> object, String name) {
    if (object.get(name) instanceof String value) {
      return value;
    }
    throw wrong(object, name, "a string");
  }

  static @Nullable String optString(Map<String, Object> object, String name) {
    Object value = object.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrong(object, name, "a string");
  }

  static boolean optBoolean(Map<String, Object> object, String name) {
    Object value = object.get(name);
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    throw wrong(object, name, "true or false");
  }

  /** A list of strings; a missing member or null reads as empty. */
  static List<String> strings(Map<String, Object> object, String name) {
    List<Object> list = list(object, name);
    List<String> strings = new ArrayList<>(list.size());
    for (Object element : list) {
      if (!(element instanceof String s)) {
        throw wrong(object, name, "a list of strings");
      }
      strings.add(s);
    }
    return strings;
  }

  /** A list of objects; a missing member or null reads as empty. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(Map<String, Object> object, String name) {
    List<Object> list = list(object, name);
    for (Object element : list) {
      if (!(element instanceof Map<?, ?>)) {
        throw wrong(object, name, "a list of objects");
      }
    }
    return (List<Map<String, Object>>) (List<?>) list;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> object, String name) {
    Object value = object.get(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw wrong(object, name, "a list");
  }

  private static JsonException wrong(Map<String, Object> object, String name, String expected) {
    Object value = object.get(name);
    return new JsonException(
        "member \"" + name + "\" must be " + expected + (value == null ? " but is missing" : ""));
  }
}
