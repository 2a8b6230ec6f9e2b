package org.pipewright.worker.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.jspecify.annotations.Nullable;

/**
 * The text of a shared-log record, cut as the control plane cuts it: a message longer than {@link
 * #MAX_CHARS} ends with {@code ... [truncated N chars]}, N being how many characters of the
 * original it lacks. The cut keeps the whole record, marker included, within {@link #MAX_CHARS}, so
 * the control plane, which cuts at the same length, leaves it as it is instead of cutting the
 * marker. Cutting here spares the worker's small heap and the wire the part nobody keeps.
 */
final class LogText {

  /** {@code pipewright.shared-log.max-message-chars}'s default. */
  static final int MAX_CHARS = 16_384;

  private static final String MARKER_START = "... [truncated ";
  private static final String MARKER_END = " chars]";

  private LogText() {}

  /** The message, cut if it is too long. */
  static String cut(String message) {
    return message.length() <= MAX_CHARS ? message : cut(message, 0);
  }

  /**
   * The message followed, on the lines after it, by the throwable's stack trace with its causes;
   * one record, cut if it is too long.
   */
  static String withTrace(String message, @Nullable Throwable error) {
    if (error == null) {
      return cut(message);
    }
    StringWriter trace = new StringWriter(1024);
    error.printStackTrace(new PrintWriter(trace));
    int end = trace.getBuffer().length();
    while (end > 0 && isLineEnd(trace.getBuffer().charAt(end - 1))) {
      end--;
    }
    long total = message.length() + 1L + end;
    if (total <= MAX_CHARS) {
      return message + '\n' + trace.getBuffer().substring(0, end);
    }
    int keep = keep(total);
    if (keep <= message.length()) {
      return cut(message, total - message.length());
    }
    StringBuilder text = new StringBuilder(MAX_CHARS).append(message).append('\n');
    int fromTrace = keep - message.length() - 1;
    if (fromTrace > 0 && Character.isHighSurrogate(trace.getBuffer().charAt(fromTrace - 1))) {
      fromTrace--;
    }
    text.append(trace.getBuffer(), 0, fromTrace);
    return marked(text, total - text.length());
  }

  /**
   * The start of a text whose whole is {@code text} followed by {@code more} characters the caller
   * has not kept (the rest of an over-long line of shell output), cut and marked.
   */
  static String cut(String text, long more) {
    long total = text.length() + more;
    if (total <= MAX_CHARS) {
      return text;
    }
    int keep = Math.min(keep(total), text.length());
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      // never half a character
      keep--;
    }
    StringBuilder cut = new StringBuilder(MAX_CHARS).append(text, 0, keep);
    return marked(cut, total - keep);
  }

  /**
   * How many characters of a text of {@code total} characters to keep so that they and the marker
   * naming the rest fit in {@link #MAX_CHARS}.
   */
  static int keep(long total) {
    int fixed = MARKER_START.length() + MARKER_END.length();
    for (int digits = 1; ; digits++) {
      int keep = MAX_CHARS - fixed - digits;
      if (Long.toString(total - keep).length() <= digits) {
        return keep;
      }
    }
  }

  private static String marked(StringBuilder kept, long cut) {
    return kept.append(MARKER_START).append(cut).append(MARKER_END).toString();
  }

  private static boolean isLineEnd(char c) {
    return c == '\n' || c == '\r';
  }
}
