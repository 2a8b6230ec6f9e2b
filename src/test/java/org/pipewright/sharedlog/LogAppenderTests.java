package org.pipewright.sharedlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.lock.LockNotHeldException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.util.unit.DataSize;

/** The one writer of the shared log, against a store in memory that can be made to refuse. */
class LogAppenderTests {

  @TempDir Path folder;

  /** Holds records like the table, and refuses any insert holding a message it was told. */
  static final class MemoryStore implements LogStore {
    final List<LogRecord> rows = new CopyOnWriteArrayList<>();
    volatile String poison = "\u0000never";
    volatile boolean down;

    /** The shared counter, as every control plane on the database moves it. */
    long counter;

    @Override
    public synchronized long lastSeq() {
      return counter;
    }

    /** Another control plane appends a writer's record, as when the writer sent it there too. */
    synchronized long storedElsewhere(String source, long sourceSeq, String message) {
      rows.add(
          new LogRecord(
              ++counter,
              Instant.EPOCH,
              LogLevel.INFO,
              source,
              sourceSeq,
              null,
              null,
              null,
              message));
      return counter;
    }

    /** Another control plane appends {@code n} records. */
    synchronized void appendedElsewhere(int n) {
      for (int i = 0; i < n; i++) {
        rows.add(
            new LogRecord(
                ++counter, Instant.EPOCH, LogLevel.INFO, "peer", null, null, null, null, "peer"));
      }
    }

    @Override
    public synchronized long insert(List<LogRecord> records, long expectedLast) {
      if (down) {
        throw new org.springframework.dao.DataAccessResourceFailureException("database away");
      }
      for (LogRecord r : records) {
        if (r.message().equals(poison)) {
          throw new DataIntegrityViolationException("value too long for column");
        }
      }
      long shift = counter - expectedLast;
      if (shift != 0) {
        // As the table's store does: a writer's record already stored by a peer is not stored
        // again.
        for (LogRecord r : records) {
          if (r.sourceSeq() != null
              && !stored(r.source(), r.sourceSeq(), r.sourceSeq()).isEmpty()) {
            throw new StoredMeanwhileException(java.util.Set.of(r.source()));
          }
        }
      }
      records.forEach(r -> rows.add(r.shifted(shift)));
      counter += records.size();
      return shift;
    }

    @Override
    public Map<Long, Long> stored(String source, long from, long to) {
      Map<Long, Long> found = new HashMap<>();
      for (LogRecord r : rows) {
        if (r.source().equals(source)
            && r.sourceSeq() != null
            && r.sourceSeq() >= from
            && r.sourceSeq() <= to) {
          found.put(r.sourceSeq(), r.seq());
        }
      }
      return found;
    }

    @Override
    public Map<String, Long> highestBetween(long after, long upTo) {
      Map<String, Long> highest = new HashMap<>();
      for (LogRecord r : rows) {
        if (r.seq() > after && r.seq() <= upTo && r.sourceSeq() != null) {
          highest.merge(r.source(), r.sourceSeq(), Math::max);
        }
      }
      return highest;
    }

    @Override
    public long highestSourceSeq(String source) {
      long highest = -1;
      for (LogRecord r : rows) {
        if (r.source().equals(source) && r.sourceSeq() != null) {
          highest = Math.max(highest, r.sourceSeq());
        }
      }
      return highest;
    }

    @Override
    public List<LogRecord> latest(LogQuery query, long before) {
      return rows.stream().filter(r -> r.seq() < before).toList();
    }

    @Override
    public List<LogRecord> page(LogQuery query) {
      return List.copyOf(rows);
    }

    @Override
    public int deleteWrittenBefore(Instant cutoff, int max) {
      return 0;
    }
  }

  final MemoryStore store = new MemoryStore();
  volatile boolean grantCurrent = true;
  LogAppender appender;

  LogAppender appender() {
    SharedLogProperties properties =
        new SharedLogProperties(
            folder.resolve("shared.log"),
            DataSize.ofMegabytes(1),
            2,
            SharedLogProperties.DEFAULT_PATTERN,
            1000,
            100,
            DataSize.ofMegabytes(1),
            Duration.ofDays(1),
            100,
            1000,
            10_000_000);
    appender =
        new LogAppender(
            store,
            new SharedLogFile(properties),
            (name, token, who) -> grantCurrent,
            new LogTail(0));
    return appender;
  }

  @AfterEach
  void close() {
    if (appender != null) {
      appender.close();
    }
  }

  static LogBatch batch(String source, long firstSeq, String... messages) {
    List<NewRecord> records = new ArrayList<>();
    for (int i = 0; i < messages.length; i++) {
      records.add(
          new NewRecord(
              Instant.EPOCH, LogLevel.INFO, source, firstSeq + i, null, null, null, messages[i]));
    }
    return new LogBatch(records, null, null, null);
  }

  @Test
  void aBatchAppendedAfterAnotherControlPlanesRecordsIsNumberedAfterThem() throws Exception {
    LogAppender appender = appender();
    long[] first = appender.append(batch("job-1", 1, "a", "b"));
    store.appendedElsewhere(3);
    long[] second = appender.append(batch("job-1", 3, "c", "d"));
    long[] resent = appender.append(batch("job-1", 1, "a", "b"));

    assertThat(first).containsExactly(1, 2);
    assertThat(second).containsExactly(6, 7);
    assertThat(resent).as("a resend keeps its numbers").containsExactly(1, 2);
    assertThat(store.rows).extracting(LogRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(Files.readString(folder.resolve("shared.log")))
        .contains("#6 ")
        .contains("#7 ")
        .doesNotContain("#3 ");
  }

  @Test
  void aRecordAnotherControlPlaneStoredMeanwhileIsAnsweredWithItsNumberThereNotStoredTwice()
      throws Exception {
    LogAppender appender = appender();
    appender.append(batch("job-1", 1, "a"));
    long there = store.storedElsewhere("job-1", 2, "b");

    assertThat(appender.append(batch("job-1", 2, "b", "c"))).containsExactly(there, there + 1);
    assertThat(store.rows)
        .extracting(LogRecord::message)
        .as("b once, from the peer")
        .containsExactly("a", "b", "c");
  }

  @Test
  void aRecordAPeerStoredBetweenTwoOfThisAppendersGroupsIsFoundWhenItsWriterResendsItHere()
      throws Exception {
    LogAppender appender = appender();
    appender.append(batch("w", 1, "w1"));
    long there = store.storedElsewhere("w", 2, "w2");
    appender.append(batch("x", 1, "x1"));

    assertThat(appender.append(batch("w", 2, "w2"))).containsExactly(there);
    assertThat(store.rows).extracting(LogRecord::message).containsExactly("w1", "w2", "x1");
  }

  @Test
  void aBatchTheDatabaseRefusesFailsAloneWith422AndTheOthersInItsGroupAreStored() throws Exception {
    LogAppender appender = appender();
    store.poison = "poison";
    ExecutorService writers = Executors.newFixedThreadPool(8);
    List<Future<long[]>> good = new ArrayList<>();
    Future<long[]> bad = null;
    for (int i = 0; i < 40; i++) {
      final int n = i;
      if (i == 20) {
        bad = writers.submit(() -> appender.append(batch("bad", 1, "fine", "poison")));
      }
      good.add(writers.submit(() -> appender.append(batch("w" + n, 1, "a", "b"))));
    }
    for (Future<long[]> f : good) {
      assertThat(f.get()).hasSize(2);
    }
    Future<long[]> refused = bad;
    assertThatThrownBy(refused::get).cause().isInstanceOf(InvalidLogRecordException.class);
    writers.shutdown();

    assertThat(store.rows).hasSize(80).noneMatch(r -> r.source().equals("bad"));
  }

  @Test
  void aDatabaseThatIsAwayIsA503AndNothingIsStored() throws Exception {
    LogAppender appender = appender();
    store.down = true;

    assertThatThrownBy(() -> appender.append(batch("w", 1, "a")))
        .isInstanceOf(LogUnavailableException.class);
    store.down = false;
    assertThat(appender.append(batch("w", 1, "a"))).containsExactly(1);
  }

  @Test
  void aLockedBatchResentAfterItsGrantEndedGetsTheNumbersItWasStoredWith() throws Exception {
    LogAppender appender = appender();
    LogBatch locked =
        new LogBatch(batch("w", 1, "one", "two").records(), "logging", 7L, "worker:1");
    long[] first = appender.append(locked);
    grantCurrent = false;

    assertThat(appender.append(locked)).containsExactly(first);
    LogBatch late = new LogBatch(batch("w", 3, "three").records(), "logging", 7L, "worker:1");
    assertThatThrownBy(() -> appender.append(late)).isInstanceOf(LockNotHeldException.class);
    assertThat(store.rows).hasSize(2);
  }
}
