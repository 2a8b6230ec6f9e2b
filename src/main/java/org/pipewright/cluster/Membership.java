package org.pipewright.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.pipewright.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This control-plane process among those sharing the database. It joins with a row of its own,
 * renews it every heartbeat, and claims the rows of peers that stopped renewing theirs. A process
 * that restarts at the same address is its own predecessor's successor and claims it at once: its
 * workers call that address and are adopted, as after any restart.
 *
 * <p>Acting for a run needs confidence that no peer has taken it: {@link #confident} holds only
 * while the last successful renewal is recent, measured on this process's monotonic clock, so that
 * a process frozen past its peers' patience stops extending its workers' leases before a peer could
 * think it dead.
 */
public final class Membership {

  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final String id = Tokens.generate().substring(0, 16);
  private final MemberRepository members;
  private final ClusterProperties properties;
  private final Clock clock;
  private final LongSupplier nanos;
  private volatile long confirmedAt;
  private volatile boolean joined;
  private volatile boolean lost;

  public Membership(
      MemberRepository members, ClusterProperties properties, Clock clock, LongSupplier nanos) {
    this.members = members;
    this.properties = properties;
    this.clock = clock;
    this.nanos = nanos;
  }

  /** This process's id: the owner of its runs, the instance of its workers. */
  public String id() {
    return id;
  }

  public ClusterProperties properties() {
    return properties;
  }

  /**
   * Joins the control planes sharing the database.
   *
   * @return the earlier processes at the same address, claimed now: this one takes their place
   */
  public synchronized List<String> join(String address) {
    long started = nanos.getAsLong();
    Instant now = clock.instant();
    members.insert(new Member(id, address, now, now, null, null, 0));
    confirmedAt = started;
    joined = true;
    List<String> predecessors = new ArrayList<>();
    for (Member member : members.findRunning()) {
      if (!member.id().equals(id)
          && member.address().equals(address)
          && members.stop(member.id(), member.version(), id, now)) {
        predecessors.add(member.id());
      }
    }
    log.info("Control plane {} at {} joined; taking the place of {}", id, address, predecessors);
    return predecessors;
  }

  /**
   * Renews this process's row.
   *
   * @return false when a peer found it dead and claimed it: its runs are no longer its own
   */
  public boolean renew() {
    if (!joined || lost) {
      return !lost;
    }
    long started = nanos.getAsLong();
    if (members.renew(id, clock.instant())) {
      confirmedAt = started;
      return true;
    }
    lost = true;
    return false;
  }

  /** Whether this process renewed its row within {@code within}, and no peer has claimed it. */
  public boolean confident(Duration within) {
    return joined && !lost && nanos.getAsLong() - confirmedAt < within.toNanos();
  }

  /**
   * Claims the peers that have not renewed their rows for {@code takeoverAfter}; each is claimed by
   * one process only.
   *
   * @return the ids claimed now
   */
  public List<String> claimDead() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(properties.takeoverAfter());
    List<String> claimed = new ArrayList<>();
    for (Member member : members.findRunning()) {
      if (!member.id().equals(id)
          && member.seenAt().isBefore(cutoff)
          && members.stop(member.id(), member.version(), id, now)) {
        log.warn(
            "Control plane {} at {} was last seen {}; taking over its runs",
            member.id(),
            member.address(),
            member.seenAt());
        claimed.add(member.id());
      }
    }
    return claimed;
  }

  /** The peers that share the database now (this one included), for the API and health. */
  public List<Member> running() {
    return members.findRunning();
  }

  /** Used to size {@link #confident}'s window against the workers' lease. */
  public static Duration minimumTakeover(Duration workerLease, Duration heartbeat) {
    return workerLease.multipliedBy(2).plus(heartbeat.multipliedBy(2));
  }
}
