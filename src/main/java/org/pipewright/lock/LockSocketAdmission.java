package org.pipewright.lock;

import org.pipewright.PipewrightException;

/**
 * Who a bearer token stands for on the control plane's local lock socket ({@link LocalLockSocket}),
 * decided as the security rules decide the lock channel's WebSocket handshake: a worker's session
 * token or a person's of role operator or admin. The security capability provides it; the locks
 * know no tokens.
 */
@FunctionalInterface
public interface LockSocketAdmission {

  /**
   * The principal the token stands for.
   *
   * @throws PipewrightException 401 for a token nobody knows, 403 for one that may not take locks
   *     over a socket (a viewer's; a job's, which ends with its attempt while a socket stays open)
   */
  String principalOf(String token);
}
