package org.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.StoredMeanwhileException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The shared log's blocks against H2 with the Flyway schema: what goes in comes out the same, and
 * every filter and cursor sees records, not blocks. Not transactional: appends commit, as the
 * appender's do; each test writes under sources of its own and reads after what was there.
 */
@JdbcTest
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import(JdbcLogStore.class)
class JdbcLogStoreTests {

  private static final Instant T = Instant.parse("2026-11-28T10:15:30.123456Z");

  @Autowired JdbcLogStore store;

  String source;
  long start;

  @BeforeEach
  void fresh() {
    source = "w-" + UUID.randomUUID();
    start = store.lastSeq();
  }

  /** Appends records as the one appender does: numbered on from the counter. */
  List<LogRecord> append(List<LogRecord> drafts) {
    long last = store.lastSeq();
    List<LogRecord> numbered = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      numbered.add(drafts.get(i).shifted(last + 1 + i - drafts.get(i).seq()));
    }
    assertThat(store.insert(numbered, last)).isZero();
    return numbered;
  }

  LogRecord draft(
      String source, long sourceSeq, @Nullable Long run, @Nullable Long job, String message) {
    return new LogRecord(0, T, LogLevel.INFO, source, sourceSeq, run, job, null, message);
  }

  List<LogRecord> lines(String source, int n, @Nullable Long run, @Nullable Long job) {
    List<LogRecord> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      drafts.add(draft(source, i, run, job, "line " + i));
    }
    return drafts;
  }

  List<LogRecord> all(LogQuery query) {
    List<LogRecord> all = new ArrayList<>();
    List<LogRecord> page;
    LogQuery next = query;
    do {
      page = store.page(next);
      all.addAll(page);
      if (!page.isEmpty()) {
        next = next.after(page.getLast().seq());
      }
    } while (page.size() == query.limit());
    return all;
  }

  LogQuery mine(int limit) {
    return new LogQuery(start, null, null, source, null, null, limit);
  }

  @Test
  void everyFieldComesBackAsItWasWritten() {
    List<LogRecord> written =
        append(
            List.of(
                new LogRecord(0, T, LogLevel.DEBUG, source, 0L, 7L, 70L, "stdout", "plain"),
                new LogRecord(1, T.plusMillis(1), LogLevel.INFO, source, 1L, 7L, 70L, "stderr", ""),
                new LogRecord(
                    2, T, LogLevel.WARN, source, null, null, null, null, "two\nlines\\n and \\"),
                new LogRecord(3, T, LogLevel.ERROR, source, 9L, null, null, null, "émoji 😀 中文"),
                new LogRecord(4, T, LogLevel.INFO, source, 10L, null, null, null, " - 5 x \t ")));

    assertThat(store.page(mine(100))).containsExactlyElementsOf(written);
  }

  @Test
  void aTimeIsKeptToTheMicrosecondAsTheTimestampColumnsWere() {
    Instant precise = Instant.parse("2026-11-28T10:15:30.123456789Z");
    append(List.of(new LogRecord(0, precise, LogLevel.INFO, source, 0L, null, null, null, "x")));

    assertThat(store.page(mine(1)).getFirst().time())
        .isEqualTo(precise.truncatedTo(ChronoUnit.MICROS));
  }

  @Test
  void pagesFollowTheCursorRecordByRecordAcrossBlocks() {
    List<LogRecord> written = append(lines(source, 1_234, null, null));

    assertThat(all(mine(100))).containsExactlyElementsOf(written);
    assertThat(all(mine(7))).containsExactlyElementsOf(written);
    LogRecord middle = written.get(777);
    assertThat(store.page(new LogQuery(middle.seq(), null, null, source, null, null, 2)))
        .containsExactly(written.get(778), written.get(779));
  }

  @Test
  void theLatestRecordsBeforeANumberAreTheNewestThatMatchInOrder() {
    List<LogRecord> written = append(lines(source, 1_100, null, null));
    long before = written.get(1_000).seq();

    assertThat(store.latest(mine(3), before))
        .containsExactly(written.get(997), written.get(998), written.get(999));
    assertThat(store.latest(mine(2_000), Long.MAX_VALUE)).containsExactlyElementsOf(written);
  }

  @Test
  void runJobAndWriterFiltersSeeOnlyTheirRecordsWhereWritersTakeTurns() {
    String other = source + "-other";
    List<LogRecord> drafts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      drafts.add(draft(i % 3 == 0 ? other : source, i, (long) (i % 2), (long) (i % 5), "m" + i));
    }
    List<LogRecord> written = append(drafts);

    assertThat(all(new LogQuery(start, 1L, null, source, null, null, 4)))
        .containsExactlyElementsOf(
            written.stream().filter(r -> r.source().equals(source) && r.runId() == 1).toList());
    assertThat(all(new LogQuery(start, null, 3L, null, null, null, 4)))
        .containsExactlyElementsOf(written.stream().filter(r -> r.jobId() == 3).toList());
    assertThat(all(new LogQuery(start, null, null, other, null, null, 100)))
        .hasSize(10)
        .allMatch(r -> r.source().equals(other));
  }

  @Test
  void levelAndTextFiltersLookAtEachRecordNotItsBlock() {
    List<LogRecord> written =
        append(
            List.of(
                new LogRecord(0, T, LogLevel.INFO, source, 0L, null, null, null, "Hello World"),
                new LogRecord(0, T, LogLevel.ERROR, source, 1L, null, null, null, "broken"),
                new LogRecord(0, T, LogLevel.WARN, source, 2L, null, null, null, "50% done_x"),
                new LogRecord(0, T, LogLevel.INFO, source, 3L, null, null, null, "a\\b\nc"),
                new LogRecord(0, T, LogLevel.DEBUG, source, 4L, null, null, null, "n and \\"),
                new LogRecord(0, T, LogLevel.INFO, source, 5L, null, null, null, "ΛΑΘΟΣ in FILE")));

    assertThat(all(new LogQuery(start, null, null, source, LogLevel.WARN, null, 10)))
        .containsExactly(written.get(1), written.get(2));
    assertThat(all(new LogQuery(start, null, null, source, null, "WORLD", 10)))
        .containsExactly(written.get(0));
    assertThat(all(new LogQuery(start, null, null, source, null, "% done_", 10)))
        .containsExactly(written.get(2));
    assertThat(all(new LogQuery(start, null, null, source, null, "\\b\nc", 10)))
        .as("a backslash and a newline are searched as themselves")
        .containsExactly(written.get(3));
    assertThat(all(new LogQuery(start, null, null, source, null, "\\", 10)))
        .containsExactly(written.get(3), written.get(4));
    assertThat(all(new LogQuery(start, null, null, source, LogLevel.ERROR, "done", 10))).isEmpty();
    assertThat(all(new LogQuery(start, null, null, source, null, "ΛΑΘΟΣ", 10)))
        .as("whatever the database's lower() makes of a final sigma")
        .containsExactly(written.get(5));
    assertThat(all(new LogQuery(start, null, null, source, null, "λαθος in file", 10)))
        .containsExactly(written.get(5));
  }

  @Test
  void aWritersStoredRecordsAreFoundByItsOwnNumbers() {
    List<LogRecord> written = append(lines(source, 1_200, null, null));

    assertThat(store.stored(source, 499, 501))
        .containsEntry(499L, written.get(499).seq())
        .containsEntry(500L, written.get(500).seq())
        .containsEntry(501L, written.get(501).seq())
        .hasSize(3);
    assertThat(store.stored(source, 5_000, 6_000)).isEmpty();
    assertThat(store.highestSourceSeq(source)).isEqualTo(1_199);
    assertThat(store.highestSourceSeq(source + "-nobody")).isEqualTo(-1);
  }

  @Test
  void recordsPastTheRetentionGoAndTheRestOfTheirBlockStays() {
    Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MICROS).minus(1, ChronoUnit.DAYS);
    Instant old = cutoff.minus(1, ChronoUnit.HOURS);
    Instant recent = cutoff.plus(1, ChronoUnit.HOURS);
    List<LogRecord> drafts = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      drafts.add(
          new LogRecord(
              0,
              i % 2 == 0 ? old : recent,
              LogLevel.INFO,
              source,
              (long) i,
              null,
              null,
              null,
              "m" + i));
    }
    List<LogRecord> written = append(drafts);

    int deleted = 0;
    int chunk;
    while ((chunk = store.deleteWrittenBefore(cutoff, 1)) > 0) {
      deleted += chunk;
    }

    assertThat(deleted).isGreaterThanOrEqualTo(300);
    List<LogRecord> kept = written.stream().filter(r -> r.time().equals(recent)).toList();
    assertThat(all(mine(50))).containsExactlyElementsOf(kept);
    assertThat(store.stored(source, 0, 600)).hasSize(300);
  }

  @Test
  void theHighestNumberOfEachWriterBetweenTwoAppendsIsWhatAPeerStoredInBetween() {
    long before = store.lastSeq();
    append(List.of(draft(source, 3, null, null, "a"), draft(source, 8, null, null, "b")));
    append(List.of(draft(source + "-2", 1, null, null, "c")));
    append(List.of(new LogRecord(0, T, LogLevel.INFO, source + "-3", null, null, null, null, "d")));
    long after = store.lastSeq();
    append(List.of(draft(source, 99, null, null, "later")));

    assertThat(store.highestBetween(before, after))
        .containsOnly(java.util.Map.entry(source, 8L), java.util.Map.entry(source + "-2", 1L));
  }

  @Test
  void aWritersRecordAnotherControlPlaneStoredMeanwhileIsRefusedAndNothingIsStored() {
    long before = store.lastSeq();
    // A peer stores record 5 of the writer, after this control plane last appended.
    append(List.of(draft(source, 5, null, null, "from the peer")));
    List<LogRecord> ours =
        List.of(
            draft(source, 4, null, null, "four").shifted(before + 1),
            draft(source, 5, null, null, "five").shifted(before + 2));

    assertThatThrownBy(() -> store.insert(ours, before))
        .isInstanceOf(StoredMeanwhileException.class)
        .satisfies(
            e -> assertThat(((StoredMeanwhileException) e).sources()).containsExactly(source));
    assertThat(store.lastSeq()).isEqualTo(before + 1);
    assertThat(all(mine(10))).extracting(LogRecord::message).containsExactly("from the peer");

    List<LogRecord> unrelated = List.of(draft(source, 6, null, null, "six").shifted(before + 1));
    assertThat(store.insert(unrelated, before)).as("numbered after the peer's").isEqualTo(1);
    assertThat(all(mine(10)))
        .extracting(LogRecord::message)
        .containsExactly("from the peer", "six");
  }
}
