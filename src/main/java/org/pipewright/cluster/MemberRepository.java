package org.pipewright.cluster;

import java.time.Instant;
import java.util.List;

/** The control planes sharing the database. Every change is conditional: zero rows lost a race. */
public interface MemberRepository {

  void insert(Member member);

  /** Renews a member that nobody has stopped; false when a peer claimed it (or it is gone). */
  boolean renew(String id, Instant now);

  /** Members not stopped: alive, or dead and not yet claimed. */
  List<Member> findRunning();

  /** Stops a member under its version; false when it changed meanwhile (renewed, or claimed). */
  boolean stop(String id, long version, String by, Instant now);
}
