package org.pipewright.sharedlog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import ch.qos.logback.core.status.Status;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared log as a file: one logback logger with a size-rolling appender, Ruffus's {@code
 * RotatingFileHandler(maxBytes=100000, backupCount=5)}. It lives in a logger context of its own, so
 * Spring Boot reconfiguring the application's logging never detaches it, and only the appender's
 * thread calls it.
 */
final class SharedLogFile implements AutoCloseable {

  static final String LOGGER = "pipewright.shared";

  private final LoggerContext context = new LoggerContext();
  private final RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
  private final Logger logger;

  SharedLogFile(SharedLogProperties properties) {
    Path file = properties.file().toAbsolutePath().normalize();
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new IllegalStateException("cannot make the folder of the shared log " + file, e);
    }
    context.setName("pipewright-shared-log");

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(properties.pattern());
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(file + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(properties.backups());

    SizeTrigger trigger = new SizeTrigger(properties.maxFileSize().toBytes());
    trigger.setContext(context);

    appender.setContext(context);
    appender.setName("shared-log");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    // Flushed once per group of batches instead of once per line.
    appender.setImmediateFlush(false);
    rolling.start();
    trigger.start();
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalStateException(
          "the shared log file " + file + " cannot be opened: " + errors());
    }

    logger = context.getLogger(LOGGER);
    logger.setAdditive(false);
    logger.setLevel(Level.ALL);
    logger.addAppender(appender);
  }

  /** Writes records in order; call {@link #flush()} after a group. */
  void write(List<LogRecord> records) {
    for (LogRecord record : records) {
      LoggingEvent event = new LoggingEvent();
      event.setLoggerContext(context);
      event.setLoggerName(LOGGER);
      event.setThreadName("shared-log");
      event.setLevel(level(record.level()));
      event.setMessage(record.message());
      event.setInstant(record.time());
      event.setMDCPropertyMap(properties(record));
      logger.callAppenders(event);
    }
  }

  void flush() {
    OutputStream out = appender.getOutputStream();
    if (out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        // The database holds the record; the file is a view of it. logback reports write errors
        // in its status manager, and the next write tries again.
        context
            .getStatusManager()
            .add(new ch.qos.logback.core.status.ErrorStatus("flush", this, e));
      }
    }
  }

  @Override
  public void close() {
    flush();
    appender.stop();
    context.stop();
  }

  private String errors() {
    StringBuilder text = new StringBuilder();
    for (Status status : context.getStatusManager().getCopyOfStatusList()) {
      if (status.getLevel() == Status.ERROR) {
        text.append(status.getMessage()).append("; ");
      }
    }
    return text.toString();
  }

  private static Map<String, String> properties(LogRecord record) {
    Map<String, String> mdc = new HashMap<>(8);
    mdc.put("seq", Long.toString(record.seq()));
    mdc.put("source", record.source());
    StringBuilder where = new StringBuilder(32);
    if (record.runId() != null) {
      mdc.put("run", record.runId().toString());
      where.append("run ").append(record.runId());
    }
    if (record.jobId() != null) {
      mdc.put("job", record.jobId().toString());
      where.append(where.isEmpty() ? "" : " ").append("job ").append(record.jobId());
    }
    if (record.stream() != null) {
      mdc.put("stream", record.stream());
      where.append(where.isEmpty() ? "" : " ").append(record.stream());
    }
    mdc.put("context", where.isEmpty() ? "" : where.append(": ").toString());
    return mdc;
  }

  private static Level level(LogLevel level) {
    return switch (level) {
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR -> Level.ERROR;
    };
  }

  /**
   * Rolls over once the file reaches its size. logback's own size policy looks at the file at most
   * once a minute, which at thousands of lines a second would let a 100 KB file grow to megabytes;
   * this one counts a generous upper bound of what each line adds and asks the file system only
   * when that bound says the limit may be near.
   */
  static final class SizeTrigger extends TriggeringPolicyBase<ILoggingEvent> {

    /** Per line beyond its message: time, level, sequence number, source, run, job. */
    private static final int OVERHEAD = 256;

    private final long maxBytes;
    private long headroom;

    SizeTrigger(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public boolean isTriggeringEvent(File file, ILoggingEvent event) {
      // Up to 3 bytes per char in UTF-8.
      headroom -= 3L * event.getMessage().length() + OVERHEAD;
      if (headroom > 0) {
        return false;
      }
      long length = file.length();
      if (length >= maxBytes) {
        headroom = maxBytes;
        return true;
      }
      headroom = maxBytes - length;
      return false;
    }
  }
}
