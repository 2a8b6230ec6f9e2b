package org.pipewright.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.lock.LockChannelTests.acquire;
import static org.pipewright.lock.LockChannelTests.release;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pipewright.SteppedClock;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lock channel's protocol against peers whose sockets close while a grant is on its way: the
 * grant is released by the socket's close, once, and never a grant the same caller got afterwards.
 */
class LockChannelPeerTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A socket whose sends are recorded, or fail while it is closing. */
  static final class Peer implements LockChannel.Peer {
    final String id;
    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile boolean closing;
    volatile Runnable meanwhile = () -> {};

    Peer(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public boolean send(String text) {
      if (closing) {
        meanwhile.run();
        return false;
      }
      sent.add(text);
      return true;
    }

    @Override
    public void close(String reason) {
      closing = true;
    }
  }

  final LockManager locks =
      new LockManager(
          new AtomicLong()::incrementAndGet, new SteppedClock(), LockManagerTests.PROPERTIES);

  static long token(Peer peer, int answer) {
    return JSON.readTree(peer.sent.get(answer)).get("token").asLong();
  }

  @Test
  void aGrantThatCouldNotReachItsClosingSocketIsReleasedByTheClose() {
    try (LockChannel channel = new LockChannel(locks, LockManagerTests.PROPERTIES, JSON)) {
      Peer holder = new Peer("holder");
      Peer leaving = new Peer("leaving");
      Peer behind = new Peer("behind");
      channel.opened(holder, "worker:1");
      channel.opened(leaving, "worker:2");
      channel.opened(behind, "worker:3");
      channel.received(holder, acquire(1, "closing", "h", 0));
      channel.received(leaving, acquire(1, "closing", "l", 10_000));
      channel.received(behind, acquire(1, "closing", "b", 10_000));
      leaving.closing = true;

      channel.received(holder, release(2, "closing", token(holder, 0)));
      assertThat(behind.sent).as("the grant went to the closing socket first").isEmpty();
      channel.closed(leaving);

      assertThat(token(behind, 0)).as("and on, at once, to the next").isGreaterThan(0);
    }
  }

  @Test
  void aLateGrantToAClosedSocketLeavesTheSameRequestsGrantOnANewSocketAlone() {
    try (LockChannel channel = new LockChannel(locks, LockManagerTests.PROPERTIES, JSON)) {
      Peer holder = new Peer("holder");
      Peer old = new Peer("old");
      Peer fresh = new Peer("fresh");
      channel.opened(holder, "worker:1");
      channel.opened(old, "worker:2");
      channel.received(holder, acquire(1, "race", "h", 0));
      channel.received(old, acquire(1, "race", "R", 10_000));
      old.closing = true;
      old.meanwhile =
          () -> {
            // The old socket's close runs, and the worker, repeating its acquire with the same
            // requestId as its client does, gets the lock over a new socket.
            channel.closed(old);
            channel.opened(fresh, "worker:2");
            channel.received(fresh, acquire(1, "race", "R", 10_000));
          };

      channel.received(holder, release(2, "race", token(holder, 0)));

      long delivered = token(fresh, 0);
      assertThat(locks.find("race"))
          .as("the grant delivered to the new socket is still held")
          .hasValueSatisfying(view -> assertThat(view.token()).isEqualTo(delivered));
    }
  }
}
