package org.pipewright.sharedlog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where the records of the shared log are kept. */
public interface LogStore {

  /** The highest sequence number given, by any control plane; 0 for an empty log. */
  long lastSeq();

  /**
   * Stores records numbered from {@code expectedLast + 1} in one transaction: all of them or none.
   * Their numbers are taken from the counter that every control plane on the database shares, under
   * its row lock until the commit; when another one appended since {@code expectedLast}, the
   * records are stored shifted past its records, so that numbers are never given twice and become
   * visible in their order.
   *
   * @return how far the records were shifted: 0 when nobody else appended meanwhile
   * @throws StoredMeanwhileException when another control plane stored some of the same writers'
   *     records with the same numbers meanwhile; nothing was stored
   */
  long insert(List<LogRecord> records, long expectedLast);

  /**
   * The records of one writer already stored with their writer's numbers in a range.
   *
   * @return the writer's number of each mapped to its global sequence number
   */
  Map<Long, Long> stored(String source, long fromSourceSeq, long toSourceSeq);

  /**
   * The highest number of each writer among the records numbered after {@code after} up to {@code
   * upTo}: what another control plane appended between two of this one's appends.
   */
  Map<String, Long> highestBetween(long after, long upTo);

  /** The highest number of a writer's records stored, -1 when it has none. */
  long highestSourceSeq(String source);

  /** A page in sequence order. */
  List<LogRecord> page(LogQuery query);

  /**
   * The newest records that match, before a sequence number: what a reader sees first, the end of
   * the log. In sequence order.
   */
  List<LogRecord> latest(LogQuery query, long before);

  /**
   * Deletes records written before a time, from a few of the blocks that hold such records.
   *
   * @param max at most this many blocks, so one call never holds the table for long
   * @return how many records were deleted: 0 once none is left before the time
   */
  int deleteWrittenBefore(Instant cutoff, int max);
}
