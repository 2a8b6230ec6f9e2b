package org.pipewright.dashboard;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.sharedlog.LogLevel;
import org.pipewright.sharedlog.LogQuery;
import org.pipewright.sharedlog.LogRecord;
import org.pipewright.sharedlog.SharedLog;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The end of the shared log as a page shows it, and where its script follows on from: the address
 * of the event stream with the same filters, starting right after the last record read, so no
 * record is shown twice or missed between the two.
 *
 * @param records the newest matching records, oldest first
 * @param stream the event stream to follow, or null when the page shows an older stretch
 * @param earlier the sequence number to page back from, or null when nothing is older
 */
record LogView(List<LogRecord> records, @Nullable String stream, @Nullable Long earlier) {

  static LogView latest(
      SharedLog log,
      @Nullable Long run,
      @Nullable Long job,
      @Nullable LogLevel level,
      @Nullable String text,
      @Nullable Long before,
      int limit) {
    // The end first: whatever is stored after it reaches the page through the stream.
    long end = log.tail().last();
    long upTo = before != null ? Math.min(before, end + 1) : end + 1;
    LogQuery query = new LogQuery(0, run, job, null, level, text, limit);
    List<LogRecord> records = log.latest(query, upTo);
    String stream = null;
    if (before == null) {
      stream =
          UriComponentsBuilder.fromPath("/api/logs/stream")
              .queryParam("after", end)
              .queryParamIfPresent("run", java.util.Optional.ofNullable(run))
              .queryParamIfPresent("job", java.util.Optional.ofNullable(job))
              .queryParamIfPresent("level", java.util.Optional.ofNullable(level))
              .queryParamIfPresent(
                  "q", java.util.Optional.ofNullable(text).filter(t -> !t.isEmpty()))
              .build()
              // Encodes each value as it is: search text such as {x} is not a URI template here.
              .encode()
              .toUriString();
    }
    Long earlier = records.size() == limit ? records.getFirst().seq() : null;
    return new LogView(records, stream, earlier);
  }
}
