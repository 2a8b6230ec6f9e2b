package org.pipewright.sharedlog;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Tells a record sent again from a new one by its writer's {@code (source, seq)}. Keeps each
 * writer's highest number stored, so a writer whose numbers only rise, as every worker's do, is
 * never asked about in the store; only a number at or below that needs a look. Used by the one
 * appender thread only.
 */
final class Repeats {

  /** Writers remembered with their highest number; a forgotten one costs one query. */
  private static final int REMEMBERED_SOURCES = 100_000;

  private final LogStore store;
  private final Map<String, Long> highestBySource =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED_SOURCES;
        }
      };

  Repeats(LogStore store) {
    this.store = store;
  }

  /** A writer's record, by the writer's own number. */
  record SourceSeq(String source, long seq) {}

  /** After a commit: the highest number now stored from a writer. */
  void stored(String source, long highest) {
    highestBySource.merge(source, highest, Math::max);
  }

  /**
   * Forgets what is known of a writer, so that its next records are looked up in the store: another
   * control plane stored some of them.
   */
  void forget(String source) {
    highestBySource.remove(source);
  }

  /** Forgets every writer: after a failure that may have left what is known out of date. */
  void forgetAll() {
    highestBySource.clear();
  }

  /** The global numbers of a batch whose every record was stored before, or null. */
  long @Nullable [] allStoredBefore(List<NewRecord> records) {
    Map<SourceSeq, Long> stored = storedBefore(records, Map.of());
    long[] seqs = new long[records.size()];
    for (int i = 0; i < records.size(); i++) {
      NewRecord record = records.get(i);
      Long seq =
          record.sourceSeq() == null
              ? null
              : stored.get(new SourceSeq(record.source(), record.sourceSeq()));
      if (seq == null) {
        return null;
      }
      seqs[i] = seq;
    }
    return seqs;
  }

  /**
   * The records of a batch that were stored before, by their writer's numbers. Only numbers at or
   * below the highest one seen from a writer can be repeats, so a writer whose numbers rise, as
   * every worker's do, costs no query at all once its highest number is known.
   */
  Map<SourceSeq, Long> storedBefore(List<NewRecord> records, Map<String, Long> inGroup) {
    Map<String, long[]> ranges = null;
    for (NewRecord record : records) {
      Long number = record.sourceSeq();
      if (number == null) {
        continue;
      }
      long highest = Math.max(highest(record.source()), inGroup.getOrDefault(record.source(), -1L));
      if (number > highest) {
        continue;
      }
      if (ranges == null) {
        ranges = new HashMap<>();
      }
      long[] range = ranges.computeIfAbsent(record.source(), s -> new long[] {number, number});
      range[0] = Math.min(range[0], number);
      range[1] = Math.max(range[1], number);
    }
    if (ranges == null) {
      return Map.of();
    }
    Map<SourceSeq, Long> stored = new HashMap<>();
    for (Map.Entry<String, long[]> range : ranges.entrySet()) {
      String source = range.getKey();
      for (Map.Entry<Long, Long> hit :
          store.stored(source, range.getValue()[0], range.getValue()[1]).entrySet()) {
        stored.put(new SourceSeq(source, hit.getKey()), hit.getValue());
      }
    }
    return stored;
  }

  /** The highest number stored from a writer; asked of the store once, then kept. */
  private long highest(String source) {
    Long known = highestBySource.get(source);
    if (known == null) {
      known = store.highestSourceSeq(source);
      highestBySource.put(source, known);
    }
    return known;
  }
}
