package org.pipewright.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.worker.runtime.PidFiles;

/** What a launcher kills of a dead or lost worker's jobs, from the pid files they left. */
class LeftoverJobsTests {

  @TempDir Path folder;

  @Test
  void aShellKilledFromItsPidFileRunsNoFurtherCommandOnceItsChildDies() throws Exception {
    Path jobs = Files.createDirectories(folder.resolve("jobs"));
    List<Process> shells = new ArrayList<>();
    // Twenty at once: killing a child before its shell gave the shell time to run its next
    // command (here, writing its file) in most of them.
    for (int i = 0; i < 20; i++) {
      Process shell =
          new ProcessBuilder("/bin/sh", "-c", "sleep 30; echo late >> written-" + i)
              .directory(folder.toFile())
              .start();
      shells.add(shell);
      long start = shell.toHandle().info().startInstant().orElseThrow().toEpochMilli();
      Files.writeString(
          jobs.resolve("shell-" + shell.pid() + "-" + start + ".pid"),
          shell.pid() + " " + start + "\n");
    }
    for (Process shell : shells) {
      while (shell.toHandle().children().findAny().isEmpty()) {
        Thread.sleep(5); // its sleep has started
      }
    }

    assertThat(PidFiles.killLeftovers(folder)).isEmpty();

    for (Process shell : shells) {
      assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    Thread.sleep(200);
    try (var files = Files.list(folder)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no shell wrote after its child was killed")
          .noneMatch(name -> name.startsWith("written-"));
    }
    try (var files = Files.list(jobs)) {
      assertThat(files).as("the pid files are gone").isEmpty();
    }
  }

  @Test
  void aPidFileThatCannotBeReadSparesNoneOfTheOthers() throws Exception {
    Path jobs = Files.createDirectories(folder.resolve("jobs"));
    Files.writeString(jobs.resolve("shell-1-1.pid"), "not a pid\n");
    Process shell = new ProcessBuilder("/bin/sh", "-c", "sleep 30").start();
    long start = shell.toHandle().info().startInstant().orElseThrow().toEpochMilli();
    Files.writeString(
        jobs.resolve("shell-" + shell.pid() + "-" + start + ".pid"), shell.pid() + " " + start);

    List<String> problems = PidFiles.killLeftovers(folder);

    assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(problems).singleElement().asString().contains("shell-1-1.pid");
  }
}
