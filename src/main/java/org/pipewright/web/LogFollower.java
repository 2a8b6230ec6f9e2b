package org.pipewright.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.SharedLog;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Sends one follower of {@code GET /api/logs/stream} its records until it goes away. */
final class LogFollower implements Runnable {
  private final SharedLog log;
  private final SseEmitter emitter;
  private final Duration keepAlive;
  private LogQuery query;
  private volatile boolean stopped;

  LogFollower(SharedLog log, LogQuery query, SseEmitter emitter, Duration keepAlive) {
    this.log = log;
    this.query = query;
    this.emitter = emitter;
    this.keepAlive = keepAlive;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    try {
      // Commits the answer's headers now: a client (and an EventSource's onopen) does not wait
      // for the first record to know it is connected.
      emitter.send(SseEmitter.event().comment("following the shared log"));
      while (!stopped) {
        // Read the end first: a page that finds nothing may then skip to it, so a follower of
        // one quiet job does not scan the same busy stretch of the log again and again.
        long end = log.tail().last();
        List<LogRecord> records = log.page(query);
        for (LogRecord record : records) {
          emitter.send(
              SseEmitter.event()
                  .id(Long.toString(record.seq()))
                  .name("record")
                  .data(LogController.RecordView.of(record), MediaType.APPLICATION_JSON));
        }
        if (!records.isEmpty()) {
          query = query.after(records.getLast().seq());
          if (records.size() == query.limit()) {
            continue;
          }
        } else if (end > query.after()) {
          query = query.after(end);
        }
        if (log.tail().awaitAfter(query.after(), keepAlive) <= query.after()) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
        }
      }
    } catch (IOException | IllegalStateException e) {
      // The follower went away: its connection broke or the emitter completed.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      emitter.completeWithError(e);
      return;
    }
    emitter.complete();
  }
}
