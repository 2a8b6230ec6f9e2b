package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a worker ends when two threads decide it at once. */
class StopperTests {

  final List<Integer> statuses = new CopyOnWriteArrayList<>();
  final CountDownLatch exiting = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  /** An exit that, like System.exit running its hooks, takes a while to end the process. */
  final Stopper stopper =
      new Stopper(
          new Holdings(() -> 0, () -> 0),
          new Outbox(),
          status -> {
            statuses.add(status);
            exiting.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });

  @Test
  void aLaterExitWaitsForTheFirstToEndTheProcessSoItsStatusStands() throws Exception {
    Thread watchdog =
        Thread.ofPlatform().start(() -> stopper.exit(ExitCode.UNREACHABLE, "no answer"));
    assertThat(exiting.await(10, TimeUnit.SECONDS)).isTrue();

    Thread runLoop =
        Thread.ofPlatform().start(() -> stopper.exit(ExitCode.DONE, "the holdings are closed"));
    runLoop.join(300);

    assertThat(runLoop.isAlive()).as("the run loop must not return from main meanwhile").isTrue();
    release.countDown();
    runLoop.join(10_000);
    watchdog.join(10_000);
    assertThat(runLoop.isAlive()).isFalse();
    assertThat(statuses).containsExactly(ExitCode.UNREACHABLE.status);
  }

  @Test
  void whatIsReleasedOnStopGoesBeforeTheProcessEndsOnEveryWayOut() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    Stopper exiting =
        new Stopper(
            new Holdings(() -> 0, () -> 0),
            new Outbox(),
            status -> {
              order.add("exit " + status);
            });
    exiting.releaseOnStop(() -> order.add("released"));
    Stopper terminated = new Stopper(new Holdings(() -> 0, () -> 0), new Outbox(), status -> {});
    terminated.releaseOnStop(() -> order.add("released on SIGTERM"));

    exiting.exit(ExitCode.LOST, "lost");
    terminated.terminated();

    assertThat(order).containsExactly("released", "exit 4", "released on SIGTERM");
  }
}
