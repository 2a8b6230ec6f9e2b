package org.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The lock epoch against H2 with the Flyway schema. Not transactional: each epoch is committed, as
 * at a start of the control plane.
 */
@JdbcTest
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import(JdbcLockEpochs.class)
class JdbcLockEpochsTests {

  @Autowired JdbcLockEpochs epochs;

  @Test
  void everyEpochIsGreaterThanTheOneBefore() {
    long first = epochs.next();
    long second = epochs.next();

    assertThat(first).isPositive();
    assertThat(second).isEqualTo(first + 1);
  }

  @Test
  void concurrentStartsNeverTakeTheSameEpoch() throws Exception {
    List<Future<List<Long>>> takers = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 4; t++) {
        takers.add(
            threads.submit(() -> {
              List<Long> taken = new ArrayList<>();
              for (int i = 0; i < 25; i++) {
                taken.add(epochs.next());
              }
              return taken;
            }));
      }
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> taker : takers) {
      all.addAll(taker.get());
    }

    assertThat(all).hasSize(100).doesNotHaveDuplicates();
  }
}
