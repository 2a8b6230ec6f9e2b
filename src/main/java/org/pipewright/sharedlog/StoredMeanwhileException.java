package org.pipewright.sharedlog;

import java.util.Set;

/**
 * Records of a group were stored meanwhile by another control plane on the same database, as when a
 * writer resent a batch to a peer while the first one was still storing it. Nothing of the group
 * was stored; asked again, the store finds them and the writer gets the numbers they were stored
 * with.
 */
public final class StoredMeanwhileException extends RuntimeException {

  private final Set<String> sources;

  public StoredMeanwhileException(Set<String> sources) {
    super("records of " + sources + " were stored meanwhile by another control plane");
    this.sources = Set.copyOf(sources);
  }

  /** The writers whose records were stored meanwhile. */
  public Set<String> sources() {
    return sources;
  }
}
