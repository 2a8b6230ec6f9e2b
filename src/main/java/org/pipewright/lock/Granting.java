package org.pipewright.lock;

import java.time.Instant;

/**
 * What every lock shares when it grants: the token source, the grace, and who to tell of leases.
 */
final class Granting {

  /** Told of every lease end a grant, a renew or a repeated acquire sets. */
  interface Expiries {
    Expiries NONE = expiresAt -> {};

    void scheduled(Instant expiresAt);
  }

  final FencingTokens tokens;
  final long graceMs;
  volatile Expiries expiries = Expiries.NONE;

  Granting(FencingTokens tokens, long graceMs) {
    this.tokens = tokens;
    this.graceMs = graceMs;
  }
}
