package org.pipewright.sharedlog;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The shared log.
 *
 * @param file the rolling file every record is written to (default {@code ./logs/shared.log})
 * @param maxFileSize the file rolls over once it reaches this size (default 100,000 bytes, as the
 *     Ruffus example's {@code RotatingFileHandler})
 * @param backups how many rolled files are kept beside it, {@code shared.log.1} the newest (default
 *     5, as in the Ruffus example; 1 to 20)
 * @param pattern the logback pattern of a line; besides logback's own conversion words it can use
 *     {@code %X{seq}}, {@code %X{source}}, {@code %X{run}}, {@code %X{job}}, {@code %X{stream}} and
 *     {@code %X{context}} (run, job and stream together, or nothing)
 * @param maxMessageChars a longer message is cut here and marked, never dropped
 * @param maxBatch the most records one append may carry
 * @param maxBodySize the largest append body; a larger one is refused (413) before it is read
 * @param retention records older than this are deleted from the database (the file rolls by size)
 * @param pageSize records per page when a reader does not say
 * @param maxPageSize the most records a reader may ask for in one page
 * @param maxJobCharsPerMinute the most characters of messages one job may append within a minute of
 *     the control plane's clock; a batch past it is refused with 429, so one job that prints a
 *     gigabyte cannot fill the log for everyone (default 10,000,000; at least {@code
 *     maxMessageChars}); the admin token is not limited
 */
@ConfigurationProperties("pipewright.shared-log")
public record SharedLogProperties(
    @DefaultValue("./logs/shared.log") Path file,
    @DefaultValue("100000B") DataSize maxFileSize,
    @DefaultValue("5") int backups,
    @DefaultValue(DEFAULT_PATTERN) String pattern,
    @DefaultValue("16384") int maxMessageChars,
    @DefaultValue("10000") int maxBatch,
    @DefaultValue("8MB") DataSize maxBodySize,
    @DefaultValue("30d") Duration retention,
    @DefaultValue("1000") int pageSize,
    @DefaultValue("10000") int maxPageSize,
    @DefaultValue("10000000") long maxJobCharsPerMinute) {

  /** {@code 2026-11-28 08:05:16,123 INFO #1041 [worker-2] run 3 job 17: message}. */
  public static final String DEFAULT_PATTERN =
      "%d{ISO8601} %-5level #%X{seq} [%X{source}] %X{context}%msg%n";

  public SharedLogProperties {
    if (backups < 1 || backups > 20) {
      throw new IllegalArgumentException(
          "pipewright.shared-log.backups must be between 1 and 20, not " + backups);
    }
    if (maxFileSize.toBytes() < 1024) {
      throw new IllegalArgumentException("pipewright.shared-log.max-file-size must be 1KB or more");
    }
    if (maxMessageChars < 100 || maxMessageChars > 900_000) {
      // The column holds a million characters: room for the longest message and its marker.
      throw new IllegalArgumentException(
          "pipewright.shared-log.max-message-chars must be between 100 and 900000");
    }
    if (maxJobCharsPerMinute < maxMessageChars) {
      throw new IllegalArgumentException(
          "pipewright.shared-log.max-job-chars-per-minute must be at least max-message-chars");
    }
    if (maxBatch < 1 || pageSize < 1 || maxPageSize < pageSize) {
      throw new IllegalArgumentException(
          "pipewright.shared-log: max-batch and page-size must be positive, max-page-size at"
              + " least page-size");
    }
  }
}
