package org.pipewright.run;

/** A move a state table does not allow: a bug in the scheduler, never a client's mistake. */
public final class IllegalTransitionException extends IllegalStateException {

  IllegalTransitionException(String what, Enum<?> from, Enum<?> to) {
    super("illegal " + what + " transition " + from + " -> " + to);
  }
}
