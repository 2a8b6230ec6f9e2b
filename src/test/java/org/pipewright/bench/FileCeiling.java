package org.pipewright.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many new empty files this machine creates per second in the benchmark's workspace, one stream
 * per core, with nothing else running: a no-op Java job makes one (its declared output), so on a
 * slow file system this, not the service, bounds the Java jobs' rate. On the VM these numbers were
 * first taken on, ext4 managed a few thousand a second and tmpfs tens of thousands.
 */
final class FileCeiling {

  private FileCeiling() {}

  static void print(Path workspace) throws Exception {
    Path dir = Files.createDirectories(workspace.resolve("file-ceiling"));
    int streams = Runtime.getRuntime().availableProcessors();
    int rounds = 10; // SpawnCeiling's streams are short for something this quick: 10 times as many
    double rate =
        SpawnCeiling.rate(
                streams,
                index -> {
                  for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < SpawnCeiling.PER_STREAM; i++) {
                      Path file = dir.resolve("f" + index + "." + round + "." + i);
                      Files.newByteChannel(
                              file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                          .close();
                    }
                  }
                })
            * rounds;
    // Left for the next run to delete, after its measuring: see BenchService.start.
    System.out.printf(
        "this machine, nothing else running, %d streams: %.0f new empty files/s in %s (a no-op"
            + " Java job makes one)%n",
        streams, rate, workspace);
  }
}
