package org.pipewright.cluster;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One control-plane process as the database knows it.
 *
 * @param address where its workers call it (host:port)
 * @param seenAt its last heartbeat, on its own clock
 * @param stoppedAt when it stopped, or was found dead and claimed by {@code stoppedBy}
 */
public record Member(
    String id,
    String address,
    Instant startedAt,
    Instant seenAt,
    @Nullable Instant stoppedAt,
    @Nullable String stoppedBy,
    long version) {}
