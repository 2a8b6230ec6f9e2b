package org.pipewright.worker.runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON straight into a buffer, without building a tree first: {@code
 * w.beginObject().name("max").value(16).endObject()}. Commas are placed by the writer; the caller
 * only keeps objects and arrays balanced. {@link #value(Object)} also writes the plain values that
 * {@link JsonReader} returns.
 */
final class JsonWriter {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out;

  /** Whether the next value or name needs a comma before it. */
  private boolean comma;

  JsonWriter() {
    this(256);
  }

  JsonWriter(int capacity) {
    this.out = new StringBuilder(capacity);
  }

  /** Writes one plain value as a whole JSON text. */
  static String write(@Nullable Object value) {
    return new JsonWriter().value(value).toString();
  }

  JsonWriter beginObject() {
    separate();
    out.append('{');
    comma = false;
    return this;
  }

  JsonWriter endObject() {
    out.append('}');
    comma = true;
    return this;
  }

  JsonWriter beginArray() {
    separate();
    out.append('[');
    comma = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    comma = true;
    return this;
  }

  /** A member name; the member's value must follow. */
  JsonWriter name(String name) {
    separate();
    quote(name);
    out.append(':');
    comma = false;
    return this;
  }

  JsonWriter value(@Nullable String value) {
    separate();
    if (value == null) {
      out.append("null");
    } else {
      quote(value);
    }
    comma = true;
    return this;
  }

  JsonWriter value(long value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  JsonWriter value(boolean value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  /** A whole value: map, list, string, number, boolean or null. */
  JsonWriter value(@Nullable Object value) {
    if (value == null || value instanceof String) {
      return value((String) value);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return value(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new JsonException("JSON has no " + d);
      }
      separate();
      out.append(d);
      comma = true;
      return this;
    }
    if (value instanceof Boolean b) {
      return value(b.booleanValue());
    }
    if (value instanceof Map<?, ?> map) {
      beginObject();
      for (Map.Entry<?, ?> member : map.entrySet()) {
        if (!(member.getKey() instanceof String key)) {
          throw new JsonException("member names must be strings, not " + member.getKey());
        }
        name(key).value(member.getValue());
      }
      return endObject();
    }
    if (value instanceof List<?> list) {
      beginArray();
      for (Object element : list) {
        value(element);
      }
      return endArray();
    }
    throw new JsonException("cannot write a " + value.getClass().getName() + " as JSON");
  }

  /** A list of strings as an array. */
  JsonWriter strings(List<String> values) {
    beginArray();
    for (String value : values) {
      value(value);
    }
    return endArray();
  }

  byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void separate() {
    if (comma) {
      out.append(',');
    }
  }

  private void quote(String s) {
    out.append('"');
    int done = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      out.append(s, done, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        // Other control characters, and a lone surrogate, which UTF-8 cannot carry as it is.
        default ->
            out.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
      }
      done = i + 1;
    }
    out.append(s, done, s.length()).append('"');
  }
}
