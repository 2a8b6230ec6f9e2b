package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.pipewright.worker.runtime.Specs.aJavaJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.sdk.HeldLock;

class LockTests {

  @TempDir Path temp;
  Rig rig;

  @BeforeEach
  void rig() {
    rig = new Rig(temp);
  }

  @Test
  void aJobWaitsForALockAnotherProcessHoldsAndGetsTheNextToken() throws Exception {
    Process holder = LockHolder.hold(rig.workspace, "shared");
    Rig.Running running = rig.start(aJavaJob(TestJobs.Locking.class).outputs("token"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rig.file("waiting")));

    assertThat(running.done()).isNotDone();
    holder.getOutputStream().close();

    assertThat(running.completion().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rig.read("token")).isEqualTo("2");
    holder.waitFor();
  }

  @Test
  void cancelEndsTheWaitForALock() throws Exception {
    Process holder = LockHolder.hold(rig.workspace, "shared");
    try {
      Rig.Running running = rig.start(aJavaJob(TestJobs.Locking.class).outputs("token"));
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(rig.file("waiting")));

      running.attempt().cancel("test");

      assertThat(running.completion().error()).startsWith("java.lang.InterruptedException");
      assertThat(rig.file("token")).doesNotExist();
    } finally {
      holder.destroy();
    }
  }

  @Test
  void tokensGrowWithEveryGrant() throws Exception {
    FileLockService locks = new FileLockService(rig.workspace);
    long first;
    try (HeldLock held = locks.acquire("log", Specs.aTouchJob().build())) {
      first = held.token();
    }
    try (HeldLock held = locks.acquire("log", Specs.aTouchJob().build())) {
      assertThat(held.token()).isEqualTo(first + 1);
      assertThat(held.name()).isEqualTo("log");
    }
  }

  @Test
  void aLockIsNotReentrant() throws Exception {
    FileLockService locks = new FileLockService(rig.workspace);
    try (HeldLock held = locks.acquire("log", Specs.aTouchJob().build())) {
      assertThatThrownBy(() -> locks.acquire("log", Specs.aTouchJob().build()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aLockAJobForgotIsReleasedWhenTheJobEnds() throws Exception {
    rig.run(aJavaJob(TestJobs.Forgetful.class));

    try (HeldLock held =
        new FileLockService(rig.workspace).acquire("shared", Specs.aTouchJob().build())) {
      assertThat(held.token()).isEqualTo(2);
    }
  }

  @Test
  void lockNamesThatCouldBePathsAreRefused() {
    FileLockService locks = new FileLockService(rig.workspace);
    for (String name : new String[] {"", "../x", "a/b", ".hidden", "x".repeat(101), "a b"}) {
      assertThatThrownBy(() -> locks.acquire(name, Specs.aTouchJob().build()))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
