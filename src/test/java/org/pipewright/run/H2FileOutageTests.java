package org.pipewright.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded H2 database file is made read-only for a few seconds in the middle of a run: the API
 * answers writes with 503, and once the file takes writes again the run finishes with every job's
 * output written once. The file is made immutable ({@code chattr +i}), which stops even root and
 * even a file already open; where that cannot be done (not root, a file system without the
 * attribute) the test skips, except under {@code CI=true}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=5s",
      "pipewright.workers.restart-backoff=100ms"
    })
@DirtiesContext
class H2FileOutageTests {

  @TempDir static Path home;

  static Path database() {
    return home.resolve("data/pipewright.mv.db");
  }

  @BeforeAll
  static void immutableFilesAreAvailable() throws Exception {
    Path probe = Files.writeString(home.resolve("probe"), "p");
    String why = null;
    try {
      chattr("+i", probe);
      chattr("-i", probe);
    } catch (IOException e) {
      why = "cannot make a file immutable here: " + e.getMessage();
    }
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(why + "; the CI machine runs the tests as root on ext4");
      }
      Assumptions.abort(why);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:file:"
                + home.resolve("data/pipewright")
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
    registry.add("pipewright.workspace.root", () -> home.resolve("workspace").toString());
    registry.add("pipewright.workers.directory", () -> home.resolve("workers").toString());
    registry.add("pipewright.shared-log.file", () -> home.resolve("shared.log").toString());
  }

  static void chattr(String flag, Path file) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(
          "chattr " + flag + " failed: " + new String(process.getInputStream().readAllBytes()));
    }
  }

  @LocalServerPort int port;

  @Test
  void aDatabaseFileMadeReadOnlyGets503sAndNothingIsLostOnceItTakesWritesAgain() throws Exception {
    Api api = new Api(port);
    long id = Outage.runUnderWay(api);

    chattr("+i", database());
    try {
      Outage.writesRefused(api);
      Thread.sleep(2000);
    } finally {
      chattr("-i", database());
    }

    Outage.nothingLost(api, id, home.resolve("workspace"));
  }
}
