package org.pipewright.worker.runtime;

import java.io.PrintStream;

/**
 * The worker's own events, one line each on stderr, which the launcher sends to a file: {@code
 * 2025-11-28T05:45:00.123Z INFO worker 17: registered}. Only what an operator needs: start, stop,
 * trouble with the control plane, cancels and fences. Never one line per job.
 */
final class WorkerLog {

  private static final PrintStream OUT = System.err;
  private static volatile String prefix = "worker: ";

  private WorkerLog() {}

  /** Names the worker in every later line, once it knows its id. */
  static void identify(String name) {
    prefix = name + ": ";
  }

  static void info(String message) {
    line("INFO ", message);
  }

  static void warn(String message) {
    line("WARN ", message);
  }

  static void error(String message, Throwable error) {
    line("ERROR", message + ": " + error);
  }

  private static void line(String level, String message) {
    StringBuilder sb = new StringBuilder(64 + message.length());
    Timestamps.append(sb, System.currentTimeMillis());
    sb.append(' ').append(level).append(' ').append(prefix);
    // One event, one line: a message never breaks the file's line structure.
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      sb.append(c == '\n' || c == '\r' ? ' ' : c);
    }
    synchronized (OUT) {
      OUT.println(sb);
    }
  }
}
