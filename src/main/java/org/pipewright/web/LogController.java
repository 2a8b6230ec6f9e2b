package org.pipewright.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.run.RunService;
import org.pipewright.sharedlog.LogBatch;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.LogUnavailableException;
import org.pipewright.sharedlog.SharedLog;
import org.pipewright.sharedlog.SharedLogProperties;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The shared log over HTTP: append, page, follow. See docs/shared-log.md. */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class LogController {

  /** A follower with nothing to read gets a comment this often, which also finds it gone. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** Records a follower reads from the store at a time. */
  private static final int STREAM_PAGE = 500;

  private final SharedLog log;
  private final RunService runs;
  private final SharedLogProperties properties;
  private final Clock clock;

  LogController(SharedLog log, RunService runs, SharedLogProperties properties, Clock clock) {
    this.log = log;
    this.runs = runs;
    this.properties = properties;
    this.clock = clock;
  }

  /** One record as readers see it. */
  record RecordView(
      long seq,
      Instant time,
      LogLevel level,
      String source,
      @Nullable Long runId,
      @Nullable Long jobId,
      @Nullable String stream,
      String message) {

    static RecordView of(LogRecord r) {
      return new RecordView(
          r.seq(), r.time(), r.level(), r.source(), r.runId(), r.jobId(), r.stream(), r.message());
    }
  }

  /**
   * A page of the log.
   *
   * @param next the cursor for the next page: pass it as {@code after}
   */
  record LogPage(List<RecordView> records, long next) {}

  @PostMapping(path = "/log", consumes = MediaType.APPLICATION_JSON_VALUE)
  LogBodies.AppendAnswer append(
      @RequestBody LogBodies.@Nullable AppendBody body, Authentication caller) {
    LogBatch batch = LogBodies.forCaller(LogBodies.batch(body, clock), caller);
    try {
      return new LogBodies.AppendAnswer(log.append(batch));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogUnavailableException("the service is stopping; send the batch again");
    }
  }

  @GetMapping("/logs")
  LogPage page(
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(required = false) @Nullable Long run,
      @RequestParam(required = false) @Nullable Long job,
      @RequestParam(required = false) @Nullable String source,
      @RequestParam(required = false) @Nullable String level,
      @RequestParam(required = false) @Nullable String q,
      @RequestParam(required = false) @Nullable Integer limit) {
    return page(query(after, run, job, source, level, q, limit));
  }

  @GetMapping("/runs/{id}/logs")
  LogPage runPage(
      @PathVariable long id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(required = false) @Nullable Long job,
      @RequestParam(required = false) @Nullable String source,
      @RequestParam(required = false) @Nullable String level,
      @RequestParam(required = false) @Nullable String q,
      @RequestParam(required = false) @Nullable Integer limit) {
    runs.run(id);
    return page(query(after, id, job, source, level, q, limit));
  }

  /**
   * Follows the log: first what is after the cursor ({@code Last-Event-ID}, else {@code after},
   * else the end of the log), then every record as it is stored. Each event's id is the record's
   * sequence number, so a browser's EventSource resumes by itself.
   */
  @GetMapping(path = "/logs/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream(
      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable Long lastEventId,
      @RequestParam(required = false) @Nullable Long after,
      @RequestParam(required = false) @Nullable Long run,
      @RequestParam(required = false) @Nullable Long job,
      @RequestParam(required = false) @Nullable String source,
      @RequestParam(required = false) @Nullable String level,
      @RequestParam(required = false) @Nullable String q,
      HttpServletResponse response) {
    long start = lastEventId != null ? lastEventId : after != null ? after : log.tail().last();
    LogQuery query = query(start, run, job, source, level, q, STREAM_PAGE);
    // Proxies such as nginx would otherwise hold events back until their buffer fills.
    response.setHeader("X-Accel-Buffering", "no");
    SseEmitter emitter = new SseEmitter(0L);
    LogFollower follower = new LogFollower(log, query, emitter, KEEP_ALIVE);
    emitter.onCompletion(follower::stop);
    emitter.onTimeout(follower::stop);
    emitter.onError(error -> follower.stop());
    Thread.ofVirtual().name("log-stream").start(follower);
    return emitter;
  }

  private LogPage page(LogQuery query) {
    List<RecordView> records = log.page(query).stream().map(RecordView::of).toList();
    long next = records.isEmpty() ? query.after() : records.getLast().seq();
    return new LogPage(records, next);
  }

  private LogQuery query(
      long after,
      @Nullable Long run,
      @Nullable Long job,
      @Nullable String source,
      @Nullable String level,
      @Nullable String q,
      @Nullable Integer limit) {
    int size = limit == null ? properties.pageSize() : limit;
    if (after < 0 || size < 1 || size > properties.maxPageSize()) {
      throw new BadLogQueryException(
          limit == null || (size >= 1 && size <= properties.maxPageSize()) ? "after" : "limit",
          "after must be 0 or more and limit between 1 and " + properties.maxPageSize());
    }
    LogLevel minLevel = null;
    if (level != null) {
      minLevel =
          LogLevel.parse(level)
              .orElseThrow(() ->
                  new BadLogQueryException(
                      "level", "'" + level + "' is not a level: DEBUG, INFO, WARN or ERROR"));
    }
    return new LogQuery(after, run, job, source, minLevel, q, size);
  }
}
