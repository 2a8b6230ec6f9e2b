package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Writes a Java job's log to {@code attempt-N.log} in its log folder, one timestamped record per
 * call: {@code 2025-11-28T05:45:00.123Z INFO message}, a throwable's stack trace on the lines
 * after. The file is made on the first record, so a job that logs nothing costs no file.
 */
final class FileLogSink implements LogSink {

  private final LongSupplier wall;

  FileLogSink(LongSupplier wall) {
    this.wall = wall;
  }

  @Override
  public AttemptLog open(JobSpec spec, JobFiles files) {
    return new FileAttemptLog(files.logDir, files.logFile("log"), spec, wall);
  }

  private static final class FileAttemptLog implements AttemptLog {
    private final Path folder;
    private final Path file;
    private final JobSpec spec;
    private final LongSupplier wall;
    private @Nullable OutputStream out;
    private boolean closed;
    private boolean broken;

    FileAttemptLog(Path folder, Path file, JobSpec spec, LongSupplier wall) {
      this.folder = folder;
      this.file = file;
      this.spec = spec;
      this.wall = wall;
    }

    @Override
    public void debug(String message) {
      write("DEBUG", message, null);
    }

    @Override
    public void info(String message) {
      write("INFO ", message, null);
    }

    @Override
    public void warn(String message) {
      write("WARN ", message, null);
    }

    @Override
    public void warn(String message, Throwable error) {
      write("WARN ", message, error);
    }

    @Override
    public void error(String message) {
      write("ERROR", message, null);
    }

    @Override
    public void error(String message, Throwable error) {
      write("ERROR", message, error);
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          WorkerLog.warn("could not close " + file + ": " + e.getMessage());
        }
        out = null;
      }
    }

    private synchronized void write(String level, String message, @Nullable Throwable error) {
      if (closed || broken) {
        return;
      }
      StringBuilder record = new StringBuilder(40 + message.length());
      Timestamps.append(record, wall.getAsLong());
      record.append(' ').append(level).append(' ').append(message).append('\n');
      if (error != null) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        record.append(trace);
      }
      try {
        if (out == null) {
          JobFiles.ensureFolder(folder);
          out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        out.write(record.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // A job must not fail because its log cannot be written; say so once, where an operator
        // looks.
        broken = true;
        WorkerLog.warn("log of " + spec + " cannot be written to " + file + ": " + e.getMessage());
      }
    }
  }
}
