package org.pipewright.sharedlog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where the records of the shared log are kept. */
public interface LogStore {

  /** The highest sequence number stored, 0 for an empty log. */
  long lastSeq();

  /** Stores records in one transaction: all of them or none. */
  void insert(List<LogRecord> records);

  /**
   * The records of one writer already stored with their writer's numbers in a range.
   *
   * @return the writer's number of each mapped to its global sequence number
   */
  Map<Long, Long> stored(String source, long fromSourceSeq, long toSourceSeq);

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
   * Deletes records written before a time.
   *
   * @param max at most this many, so one call never holds the table for long
   * @return how many were deleted
   */
  int deleteWrittenBefore(Instant cutoff, int max);
}
