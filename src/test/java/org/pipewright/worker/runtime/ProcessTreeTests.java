package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing and killing a job's processes, on real processes. */
class ProcessTreeTests {

  Process shell;

  @AfterEach
  void kill() throws Exception {
    if (shell != null) {
      ProcessTree.kill(shell.toHandle());
    }
  }

  @Test
  void theTreeHoldsAProcessAndAllItsDescendantsParentsBeforeChildren() throws Exception {
    shell =
        new ProcessBuilder("/bin/sh", "-c", "sleep 31.5 & /bin/sh -c 'sleep 32.5 & wait' & wait")
            .start();
    ProcessHandle root = shell.toHandle();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessTree.size(root) == 4);

    List<ProcessHandle> tree = ProcessTree.treeOf(List.of(root));

    assertThat(tree).first().isEqualTo(root);
    assertThat(tree)
        .as("what the JDK lists too, now that nothing forks")
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(Stream.of(root), root.descendants()).toList());
    for (ProcessHandle process : tree.subList(1, tree.size())) {
      long parent = process.parent().orElseThrow().pid();
      assertThat(tree.indexOf(ProcessHandle.of(parent).orElseThrow()))
          .as("the parent of %d comes before it", process.pid())
          .isBetween(0, tree.indexOf(process) - 1);
    }
  }

  @Test
  void killingTheTreeLeavesNoneOfItAlive() throws Exception {
    shell = new ProcessBuilder("/bin/sh", "-c", "sleep 33.5 & sleep 34.5 & wait").start();
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessTree.size(shell.toHandle()) == 3);
    List<ProcessHandle> tree = ProcessTree.treeOf(List.of(shell.toHandle()));

    ProcessTree.kill(shell.toHandle());

    assertThat(tree).noneMatch(ProcessTree::alive);
  }
}
