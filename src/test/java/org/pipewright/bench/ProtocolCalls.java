package org.pipewright.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How many calls the workers made on each protocol endpoint, from the service's own {@code
 * http.server.requests} timers: calls per job say how well results and leases are batched.
 */
final class ProtocolCalls {

  private ProtocolCalls() {}

  static Map<String, Long> now(MeterRegistry registry) {
    Map<String, Long> counts = new TreeMap<>();
    for (Timer timer : registry.find("http.server.requests").timers()) {
      String uri = timer.getId().getTag("uri");
      if (uri != null && (uri.startsWith("/api/workers/") || uri.startsWith("/api/jobs/"))) {
        counts.merge(uri.substring(uri.lastIndexOf('/') + 1), timer.count(), Long::sum);
      }
      if ("/api/runs/{id}".equals(uri)) {
        counts.merge("run polls", timer.count(), Long::sum);
        counts.merge(
            "run polls ms",
            (long) timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS),
            Long::sum);
      }
    }
    return counts;
  }

  static String since(Map<String, Long> before, Map<String, Long> after) {
    return after.entrySet().stream()
        .filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L))
        .map(e -> e.getKey() + " " + (e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .collect(Collectors.joining(", "));
  }
}
