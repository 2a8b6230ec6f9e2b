package org.pipewright.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.LogRecord;

/**
 * The shared log's records as the {@code log_block} table keeps them: records that follow each
 * other from one writer, with the same run and job, in one row. The columns say what a reader may
 * filter a block by; the records are lines of its body (see {@code V7__log_blocks.sql}): {@code
 * <seq - first> <epoch µs> <level><stream> <source seq or -> <message>}, the message with {@code \}
 * doubled and newlines written {@code \n}, so a message's text is found in the body as it is once a
 * search is escaped the same way.
 */
final class LogBlocks {

  /**
   * The most numbers one block spans, and so the most records it holds: a reader looking for the
   * block that holds a number looks back this far, which lets the primary key find it.
   */
  static final int MAX_SPAN = 500;

  /** A block stops growing at this many characters; one record alone may be longer. */
  private static final int MAX_BODY_CHARS = 1_000_000;

  private static final String LEVELS = "DIWE";
  private static final LogLevel[] BY_LETTER = LogLevel.values();

  private LogBlocks() {}

  /** A row of {@code log_block}. */
  record Block(
      long firstSeq,
      long lastSeq,
      Instant oldest,
      Instant newest,
      int maxLevel,
      String source,
      @Nullable Long minSourceSeq,
      @Nullable Long maxSourceSeq,
      @Nullable Long runId,
      @Nullable Long jobId,
      String body) {}

  /** Records in the order of their numbers, cut into blocks. */
  static List<Block> of(List<LogRecord> records) {
    List<Block> blocks = new ArrayList<>();
    Builder block = null;
    for (LogRecord record : records) {
      String message = escaped(record.message());
      if (block == null || !block.takes(record, message)) {
        if (block != null) {
          blocks.add(block.build());
        }
        block = new Builder(record);
      }
      block.add(record, message);
    }
    if (block != null) {
      blocks.add(block.build());
    }
    return blocks;
  }

  /** The records of a block, in order. */
  static List<LogRecord> read(
      long firstSeq, String source, @Nullable Long runId, @Nullable Long jobId, String body) {
    List<LogRecord> records = new ArrayList<>();
    int at = 0;
    while (at < body.length()) {
      int space = body.indexOf(' ', at);
      long seq = firstSeq + Long.parseLong(body, at, space, 10);
      at = space + 1;
      space = body.indexOf(' ', at);
      Instant time = fromMicros(Long.parseLong(body, at, space, 10));
      LogLevel level = BY_LETTER[LEVELS.indexOf(body.charAt(space + 1))];
      String stream =
          switch (body.charAt(space + 2)) {
            case 'o' -> "stdout";
            case 'e' -> "stderr";
            default -> null;
          };
      at = space + 4;
      space = body.indexOf(' ', at);
      Long sourceSeq = body.charAt(at) == '-' ? null : Long.parseLong(body, at, space, 10);
      at = space + 1;
      int end = body.indexOf('\n', at);
      records.add(
          new LogRecord(
              seq, time, level, source, sourceSeq, runId, jobId, stream, unescaped(body, at, end)));
      at = end + 1;
    }
    return records;
  }

  /** A message, or a text searched for in messages, as a body holds it. */
  static String escaped(String text) {
    if (text.indexOf('\\') < 0 && text.indexOf('\n') < 0) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        escaped.append("\\\\");
      } else if (c == '\n') {
        escaped.append("\\n");
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private static String unescaped(String body, int from, int to) {
    int slash = body.indexOf('\\', from);
    if (slash < 0 || slash >= to) {
      return body.substring(from, to);
    }
    StringBuilder text = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < to) {
        i++;
        text.append(body.charAt(i) == 'n' ? '\n' : body.charAt(i));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static long micros(Instant time) {
    try {
      return Math.addExact(
          Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a record's time is out of range: " + time, e);
    }
  }

  private static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  /** A block being filled. */
  private static final class Builder {
    private final LogRecord first;
    private final StringBuilder body = new StringBuilder(4096);
    private long lastSeq;
    private Instant oldest;
    private Instant newest;
    private int maxLevel;
    private @Nullable Long minSourceSeq;
    private @Nullable Long maxSourceSeq;

    Builder(LogRecord first) {
      this.first = first;
      this.oldest = first.time();
      this.newest = first.time();
    }

    boolean takes(LogRecord record, String message) {
      return record.seq() - first.seq() < MAX_SPAN
          && body.length() + message.length() + 64 <= MAX_BODY_CHARS
          && record.source().equals(first.source())
          && Objects.equals(record.runId(), first.runId())
          && Objects.equals(record.jobId(), first.jobId());
    }

    void add(LogRecord record, String message) {
      body.append(record.seq() - first.seq())
          .append(' ')
          .append(micros(record.time()))
          .append(' ')
          .append(LEVELS.charAt(record.level().ordinal()))
          .append(record.stream() == null ? '-' : record.stream().equals("stdout") ? 'o' : 'e')
          .append(' ');
      if (record.sourceSeq() == null) {
        body.append('-');
      } else {
        body.append(record.sourceSeq().longValue());
        minSourceSeq =
            minSourceSeq == null ? record.sourceSeq() : Math.min(minSourceSeq, record.sourceSeq());
        maxSourceSeq =
            maxSourceSeq == null ? record.sourceSeq() : Math.max(maxSourceSeq, record.sourceSeq());
      }
      body.append(' ').append(message).append('\n');
      lastSeq = record.seq();
      oldest = record.time().isBefore(oldest) ? record.time() : oldest;
      newest = record.time().isAfter(newest) ? record.time() : newest;
      maxLevel = Math.max(maxLevel, record.level().ordinal());
    }

    Block build() {
      return new Block(
          first.seq(),
          lastSeq,
          oldest,
          newest,
          maxLevel,
          first.source(),
          minSourceSeq,
          maxSourceSeq,
          first.runId(),
          first.jobId(),
          body.toString());
    }
  }
}
