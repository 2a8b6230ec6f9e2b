package org.pipewright.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.pipewright.sharedlog.LogObserver;
import org.pipewright.sharedlog.SharedLog;

/** {@code pipewright.log.records} and {@code pipewright.log.bytes}, counted once committed. */
final class LogMeters implements LogObserver {

  private final Counter records;
  private final Counter bytes;

  LogMeters(MeterRegistry registry, SharedLog log) {
    records =
        Counter.builder("pipewright.log.records")
            .description("Records stored in the shared log")
            .register(registry);
    bytes =
        Counter.builder("pipewright.log.bytes")
            .description("UTF-8 bytes of the messages stored in the shared log")
            .baseUnit("bytes")
            .register(registry);
    log.observe(this);
  }

  @Override
  public void appended(int count, long size) {
    records.increment(count);
    bytes.increment(size);
  }
}
