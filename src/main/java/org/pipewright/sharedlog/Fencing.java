package org.pipewright.sharedlog;

/** Answers whether a lock's grant is still current; the shared locks implement it. */
@FunctionalInterface
public interface Fencing {

  /** Whether {@code token} is the current grant of lock {@code name}. */
  boolean isCurrent(String name, long token);
}
