package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's {@code /proc/<pid>/stat} line, its fields numbered as proc(5) numbers them. The
 * command name (field 2) is in parentheses and may hold spaces and parentheses itself, so the
 * fields from 3 on are counted after the last {@code ')'}.
 */
final class ProcStat {

  static final int STATE = 3;
  static final int PARENT = 4;
  static final int GROUP = 5;
  static final int SESSION = 6;
  static final int START = 22;

  private ProcStat() {}

  /**
   * The line of {@code /proc/<pid>} (or {@code /proc/self}).
   *
   * @throws java.nio.file.NoSuchFileException when the process has ended and was reaped
   */
  static String read(Path proc) throws IOException {
    return Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
  }

  static String read(long pid) throws IOException {
    return read(Path.of("/proc", Long.toString(pid)));
  }

  /**
   * Field {@code number} (3 or more) as text.
   *
   * @throws IllegalArgumentException when the line has no such field
   */
  static String field(String stat, int number) {
    int at = stat.lastIndexOf(')') + 2;
    for (int field = STATE; field < number && at > 1; field++) {
      at = stat.indexOf(' ', at) + 1;
    }
    int end = at > 1 ? stat.indexOf(' ', at) : -1;
    if (at <= 1 || at >= stat.length()) {
      throw new IllegalArgumentException("no field " + number + " in: " + stat);
    }
    return stat.substring(at, end < 0 ? stat.strip().length() : end);
  }

  /** Field {@code number} (4 or more) as a number. */
  static long number(String stat, int number) {
    try {
      return Long.parseLong(field(stat, number));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field " + number + " is no number in: " + stat, e);
    }
  }

  /** Whether the line is a zombie's: ended, not yet reaped by its parent. */
  static boolean zombie(String stat) {
    return field(stat, STATE).equals("Z");
  }
}
