package org.pipewright.worker.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the bytes of a shell job's output into lines, one shared-log message each. A line ends at
 * {@code \n} (a {@code \r} before it is dropped too); bytes that are not UTF-8 become U+FFFD, as
 * {@code new String(bytes, UTF_8)} replaces them. A line longer than {@link LogText#MAX_CHARS}
 * keeps its start and the marker {@code ... [truncated N chars]}; the rest of it is counted, not
 * kept, up to its newline, so an endless line costs no more memory than a long one.
 */
final class LineSplitter {

  /**
   * The bytes of a line kept: enough for {@link LogText#MAX_CHARS} characters whatever their UTF-8
   * length (a malformed byte becomes one character, a character takes at most 3 bytes per char).
   */
  static final int MAX_LINE_BYTES = 4 * LogText.MAX_CHARS;

  private byte[] line = new byte[128];
  private int length;

  /** Characters of the current line beyond {@link #MAX_LINE_BYTES}, counted but not kept. */
  private long skipped;

  private boolean overflow;

  /** Takes {@code bytes[from, to)}; the lines they complete are added to {@code lines}. */
  void feed(byte[] bytes, int from, int to, List<String> lines) {
    int start = from;
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        add(bytes, start, i);
        lines.add(take());
        start = i + 1;
      }
    }
    add(bytes, start, to);
  }

  /** The output ended: a last line without a newline is a line too. */
  void finish(List<String> lines) {
    if (length > 0 || overflow) {
      lines.add(take());
    }
  }

  private void add(byte[] bytes, int from, int to) {
    int count = to - from;
    if (count <= 0) {
      return;
    }
    int kept = Math.min(count, MAX_LINE_BYTES - length);
    if (length + kept > line.length) {
      line =
          Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(length + kept, 2 * line.length)));
    }
    System.arraycopy(bytes, from, line, length, kept);
    length += kept;
    if (kept < count) {
      overflow = true;
      skipped += chars(bytes, from + kept, to);
    }
  }

  private String take() {
    int end = length;
    if (!overflow && end > 0 && line[end - 1] == '\r') {
      end--;
    }
    String text = LogText.cut(new String(line, 0, end, StandardCharsets.UTF_8), skipped);
    length = 0;
    skipped = 0;
    overflow = false;
    if (line.length > 4096) {
      // One long line must not keep 64 KB for the rest of the job.
      line = new byte[128];
    }
    return text;
  }

  /**
   * The characters UTF-8 bytes decode to, without decoding them: one per byte that does not
   * continue a sequence, two for a four-byte sequence (a surrogate pair). Exact for valid UTF-8,
   * close for the rest.
   */
  static long chars(byte[] bytes, int from, int to) {
    long chars = 0;
    for (int i = from; i < to; i++) {
      int b = bytes[i] & 0xff;
      if ((b & 0xc0) != 0x80) {
        chars += b >= 0xf0 ? 2 : 1;
      }
    }
    return chars;
  }
}
