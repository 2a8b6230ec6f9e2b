package org.pipewright.sharedlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import org.pipewright.lock.LockNotHeldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * The one writer of the shared log. Appends queue up; a single thread takes every batch waiting,
 * gives each a contiguous range of sequence numbers and stores them all in one transaction; a
 * second thread writes each stored group to the file in the same order and only then answers its
 * writers. One writer makes batches contiguous without a lock around the database; taking all that
 * wait makes one commit serve many writers (group commit); and the file being written while the
 * next group is stored keeps the one writer's work short. Together they let the log take tens of
 * thousands of lines a second.
 */
final class LogAppender implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogAppender.class);

  /**
   * How long a writer waits for its answer before it is told to try again: shorter than the
   * worker's own 10 s, so the worker hears the answer instead of giving up on its own.
   */
  private static final long ANSWER_TIMEOUT_SECONDS = 8;

  /** A group stops growing here, so one commit stays short even when writers pile up. */
  private static final int MAX_GROUP_RECORDS = 20_000;

  private final LogStore store;
  private final SharedLogFile file;
  private final Fencing fencing;
  private final LogTail tail;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Stored> stored = new LinkedBlockingQueue<>();
  private final Repeats repeats;
  private final Thread writer;
  private final Thread filer;
  private long last;
  private volatile boolean closed;
  private volatile LogObserver observer = (records, bytes) -> {};

  LogAppender(LogStore store, SharedLogFile file, Fencing fencing, LogTail tail) {
    this.store = store;
    this.file = file;
    this.fencing = fencing;
    this.tail = tail;
    this.repeats = new Repeats(store);
    this.last = store.lastSeq();
    tail.advance(last);
    this.writer = Thread.ofPlatform().name("shared-log-appender").daemon().unstarted(this::run);
    this.filer = Thread.ofPlatform().name("shared-log-file").daemon().unstarted(this::publish);
    writer.start();
    filer.start();
  }

  /**
   * Appends a batch and waits until it is committed.
   *
   * @return the sequence number of each record, in order; a record stored before keeps its number
   * @throws LockNotHeldException when the batch names a lock grant that is not current
   * @throws LogUnavailableException when it could not be stored
   */
  long[] append(LogBatch batch) throws InterruptedException {
    Pending pending = new Pending(batch);
    if (closed) {
      throw new LogUnavailableException("the shared log is shutting down");
    }
    queue.add(pending);
    if (closed && queue.remove(pending)) {
      // close() drained the queue before this was added: nobody would answer it.
      throw new LogUnavailableException("the shared log is shutting down");
    }
    try {
      return pending.answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new LogUnavailableException("append failed", e.getCause());
    } catch (TimeoutException e) {
      if (queue.remove(pending)) {
        throw new LogUnavailableException(
            "the shared log is too busy; the batch was not stored, send it again");
      }
      throw new LogUnavailableException(
          "the shared log did not store the batch within "
              + ANSWER_TIMEOUT_SECONDS
              + " s; it may still be stored: send it again with the same seqs");
    }
  }

  @Override
  public void close() {
    closed = true;
    // Woken by a marker, not an interrupt: an interrupt in the middle of a write would close the
    // database's file channel under it.
    queue.add(STOP);
    try {
      writer.join(10_000);
      stored.add(STORED_STOP);
      filer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // What the writer stored after the publisher stopped, or while it was stuck: stored, so it is
    // written and answered here rather than left waiting.
    List<Stored> unpublished = new ArrayList<>();
    stored.drainTo(unpublished);
    unpublished.removeIf(group -> group == STORED_STOP);
    if (!filer.isAlive()) {
      publish(unpublished);
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      if (left != STOP) {
        left.answer.completeExceptionally(
            new LogUnavailableException("the shared log is shutting down"));
      }
    }
    file.close();
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        Pending first = queue.take();
        if (first == STOP) {
          return;
        }
        group.add(first);
        int records = first.batch.records().size();
        Pending next;
        boolean stop = false;
        while (records < MAX_GROUP_RECORDS && (next = queue.poll()) != null) {
          if (next == STOP) {
            stop = true;
            break;
          }
          group.add(next);
          records += next.batch.records().size();
        }
        write(group, true);
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | Error e) {
        // Whatever went wrong, the writer lives on: a dead writer would hang every later append.
        log.error("shared log writer failed", e);
        for (Pending pending : group) {
          if (!pending.handedOver) {
            pending.answer.completeExceptionally(new LogUnavailableException("append failed", e));
          }
        }
      }
      group.clear();
    }
  }

  /**
   * @param again whether to ask again when another control plane stored some of the group's records
   *     meanwhile; the second time round they are found, and their writers get the numbers they
   *     were stored with
   */
  private void write(List<Pending> group, boolean again) {
    List<Pending> accepted = new ArrayList<>(group.size());
    List<Pending> resent = new ArrayList<>();
    for (Pending pending : group) {
      LogBatch batch = pending.batch;
      if (batch.lock() != null
          && batch.token() != null
          && !fencing.isCurrent(batch.lock(), batch.token(), batch.principal())) {
        long[] stored = repeats.allStoredBefore(batch.records());
        if (stored != null) {
          // A resend of a batch stored while its grant was current: its answer had been lost.
          pending.seqs = stored;
          resent.add(pending);
        } else {
          pending.answer.completeExceptionally(
              LockNotHeldException.token(batch.lock(), batch.token()));
        }
        continue;
      }
      accepted.add(pending);
    }
    if (!resent.isEmpty()) {
      // Answered after every group before this one is in the file, the first copy's among them.
      handOver(new Stored(List.of(), resent, last));
    }
    if (accepted.isEmpty()) {
      return;
    }
    List<LogRecord> fresh = new ArrayList<>();
    Map<String, Long> highest = new HashMap<>();
    Map<Repeats.SourceSeq, Long> numbered = new HashMap<>();
    long seq = last;
    long shift;
    try {
      for (Pending pending : accepted) {
        List<NewRecord> records = pending.batch.records();
        Map<Repeats.SourceSeq, Long> earlier = repeats.storedBefore(records, highest);
        long[] seqs = new long[records.size()];
        boolean[] minted = new boolean[records.size()];
        for (int i = 0; i < records.size(); i++) {
          NewRecord record = records.get(i);
          Repeats.SourceSeq key =
              record.sourceSeq() == null
                  ? null
                  : new Repeats.SourceSeq(record.source(), record.sourceSeq());
          Long known = key == null ? null : numbered.getOrDefault(key, earlier.get(key));
          if (known != null) {
            seqs[i] = known;
            continue;
          }
          seqs[i] = ++seq;
          minted[i] = true;
          fresh.add(record.stored(seq));
          if (key != null) {
            numbered.put(key, seq);
            highest.merge(key.source(), key.seq(), Math::max);
          }
        }
        pending.seqs = seqs;
        pending.minted = minted;
      }
      shift = store.insert(fresh, last);
    } catch (StoredMeanwhileException e) {
      e.sources().forEach(repeats::forget);
      if (again) {
        write(accepted, false);
      } else {
        for (Pending pending : accepted) {
          pending.answer.completeExceptionally(
              new LogUnavailableException(
                  "another control plane was storing the same records; send the batch again"));
        }
      }
      return;
    } catch (RuntimeException e) {
      boolean refusedValue = refusesAValue(e);
      if (refusedValue && accepted.size() > 1) {
        // One batch holds what the database cannot take: alone, only that one fails.
        for (Pending pending : accepted) {
          write(List.of(pending), again);
        }
        return;
      }
      log.warn("could not store {} shared log records", fresh.size(), e);
      RuntimeException failure =
          refusedValue
              ? new InvalidLogRecordException(
                  List.of(
                      new FieldError(
                          "records", "a value of this batch cannot be stored; nothing was stored")))
              : new LogUnavailableException(
                  "the shared log could not store the batch; nothing of it was stored, send it"
                      + " again",
                  e);
      // A database that is away fails the whole group at once rather than batch by batch.
      for (Pending pending : accepted) {
        pending.answer.completeExceptionally(failure);
      }
      return;
    }
    if (shift != 0) {
      // Another control plane on the database appended since: ours were stored after its records.
      learnFromPeers(last, last + shift);
      seq += shift;
      fresh.replaceAll(record -> record.shifted(shift));
      for (Pending pending : accepted) {
        for (int i = 0; i < pending.seqs.length; i++) {
          if (pending.minted[i]) {
            pending.seqs[i] += shift;
          }
        }
      }
    }
    last = seq;
    for (Map.Entry<String, Long> entry : highest.entrySet()) {
      repeats.stored(entry.getKey(), entry.getValue());
    }
    handOver(new Stored(fresh, accepted, seq));
  }

  private void handOver(Stored group) {
    for (Pending pending : group.writers()) {
      pending.handedOver = true;
    }
    stored.add(group);
  }

  /**
   * What another control plane stored between two of this one's groups: the highest number of each
   * writer among them is remembered, so a record that writer sends here again later is looked up
   * and found, never stored twice. Every number a peer gives falls in one such gap.
   */
  private void learnFromPeers(long after, long upTo) {
    try {
      store.highestBetween(after, upTo).forEach(repeats::stored);
    } catch (RuntimeException e) {
      log.warn("could not read what another control plane appended; asking the store for all", e);
      repeats.forgetAll();
    }
  }

  /**
   * Writes what was stored to the file, in the order it was stored, then answers its writers: on a
   * thread of its own, so that the appender stores the next group meanwhile. Groups that wait are
   * written together and flushed once.
   */
  private void publish() {
    List<Stored> groups = new ArrayList<>();
    while (true) {
      try {
        groups.add(stored.take());
        stored.drainTo(groups);
      } catch (InterruptedException e) {
        return;
      }
      boolean stop = groups.removeIf(group -> group == STORED_STOP);
      publish(groups);
      groups.clear();
      if (stop) {
        return;
      }
    }
  }

  private void publish(List<Stored> groups) {
    try {
      for (Stored group : groups) {
        write(group.records());
      }
      file.flush();
    } catch (RuntimeException | Error e) {
      // Whatever went wrong, the records are stored: their writers are answered below.
      log.warn("could not write to the shared log file", e);
    }
    for (Stored group : groups) {
      try {
        tail.advance(group.last());
        observer.appended(group.records().size(), utf8Bytes(group.records()));
      } catch (RuntimeException | Error e) {
        log.error("shared log publisher failed", e);
      } finally {
        for (Pending pending : group.writers()) {
          pending.answer.complete(pending.seqs);
        }
      }
    }
  }

  private void write(List<LogRecord> records) {
    try {
      file.write(records);
    } catch (RuntimeException e) {
      // Stored and committed: the writers get their answer; the file is a view of the database.
      log.warn("could not write {} records to the shared log file", records.size(), e);
    }
  }

  void observe(LogObserver observer) {
    this.observer = observer;
  }

  private static long utf8Bytes(List<LogRecord> records) {
    long bytes = 0;
    for (LogRecord record : records) {
      String message = record.message();
      for (int i = 0; i < message.length(); i++) {
        char c = message.charAt(i);
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
      }
    }
    return bytes;
  }

  /**
   * Whether the database refused a value of the batch (too long, out of range): the batch's fault,
   * which sending it again cannot mend. Anything else is the database's, and worth a retry.
   */
  private static boolean refusesAValue(RuntimeException e) {
    return e instanceof DataIntegrityViolationException
        || e instanceof java.time.DateTimeException
        || e instanceof IllegalArgumentException;
  }

  /** A group committed to the database, on its way to the file and then to its writers. */
  private record Stored(List<LogRecord> records, List<Pending> writers, long last) {}

  /** Put in the publisher's queue by {@link #close} once the writer stopped. */
  private static final Stored STORED_STOP = new Stored(List.of(), List.of(), 0);

  /** Put in the queue by {@link #close}: the writer stops when it takes it. */
  private static final Pending STOP = new Pending(new LogBatch(List.of(), null, null, null));

  private static final class Pending {
    final LogBatch batch;
    final CompletableFuture<long[]> answer = new CompletableFuture<>();
    long @Nullable [] seqs;

    /** Given to the publisher, which answers it from now on. */
    volatile boolean handedOver;

    /** Which of {@link #seqs} were given now, as opposed to those of records stored before. */
    boolean @Nullable [] minted;

    Pending(LogBatch batch) {
      this.batch = batch;
    }
  }
}
