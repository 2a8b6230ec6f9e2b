package org.pipewright.run;

/**
 * A row changed under us: another writer (a second control plane on the same database) moved it
 * first. The scheduler rereads the run and carries on from what is stored.
 */
public final class ConcurrentUpdateException extends RuntimeException {

  public ConcurrentUpdateException(String message) {
    super(message);
  }
}
