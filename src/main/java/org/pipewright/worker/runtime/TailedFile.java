package org.pipewright.worker.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One output file of a running shell job ({@code attempt-N.stdout} or {@code .stderr}), read from
 * where the last read stopped, its lines sent to the shared log. Until the job writes something it
 * costs one {@code stat} per look: no open file, no buffer.
 */
final class TailedFile {

  private static final int CHUNK = 64 * 1024;

  private final File file;
  private final String stream;
  private final JobSpec spec;
  private final SharedLogClient log;
  private final LongSupplier wall;
  private final List<String> lines = new ArrayList<>();
  private @Nullable FileChannel channel;
  private @Nullable ByteBuffer buffer;
  private @Nullable LineSplitter splitter;
  private final long limit;
  private long position;
  private boolean broken;

  /**
   * @param limit the most bytes of the file forwarded: a job killed for writing past its limit
   *     ({@link JobLimits}) may have written more, which stays in the file only
   */
  TailedFile(
      File file, String stream, JobSpec spec, SharedLogClient log, LongSupplier wall, long limit) {
    this.file = file;
    this.stream = stream;
    this.spec = spec;
    this.log = log;
    this.wall = wall;
    this.limit = limit;
  }

  /** Sends the lines completed since the last look. */
  void poll() {
    if (!broken && position < limit && file.length() > position) {
      read();
    }
  }

  /** The job has ended: sends the rest, a last line without newline included, and closes. */
  void finish() {
    poll();
    if (splitter != null) {
      splitter.finish(lines);
      send();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // read-only: nothing lost
      }
      channel = null;
    }
  }

  private void read() {
    try {
      if (channel == null) {
        channel = FileChannel.open(file.toPath(), StandardOpenOption.READ);
        buffer = ByteBuffer.allocate(CHUNK);
        splitter = new LineSplitter();
      }
      while (position < limit) {
        buffer.clear();
        buffer.limit((int) Math.min(CHUNK, limit - position));
        int read = channel.read(buffer, position);
        if (read <= 0) {
          return;
        }
        position += read;
        splitter.feed(buffer.array(), 0, read, lines);
        // A chunk at a time: a job that printed a gigabyte is never held in memory whole.
        send();
      }
      if (file.length() > limit) {
        lines.add(
            "[pipewright: the " + stream + " past " + limit + " bytes is in " + file + " only]");
        send();
      }
    } catch (IOException e) {
      broken = true;
      WorkerLog.warn("cannot forward the " + stream + " of " + spec + ": " + e.getMessage());
    }
  }

  private void send() {
    if (lines.isEmpty()) {
      return;
    }
    long now = wall.getAsLong();
    for (String line : lines) {
      log.append(new LogRecord("INFO", line, spec.runId(), spec.id().jobId(), stream, now, null));
    }
    lines.clear();
  }
}
