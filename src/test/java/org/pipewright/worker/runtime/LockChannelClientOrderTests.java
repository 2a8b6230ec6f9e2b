package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's lock channel client against a control plane that refuses every quiet release: with
 * several threads sending at once, every refusal is heard of, because messages are numbered in the
 * order they go out and an answer confirms only the quiet releases numbered before it.
 */
class LockChannelClientOrderTests {

  static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  @Test
  void everyRefusedQuietReleaseIsHeardOfWhileOtherThreadsCall(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("fake.sock");
    AtomicInteger quietSent = new AtomicInteger();
    AtomicInteger refusalsHeard = new AtomicInteger();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            try (SocketChannel s = server.accept()) {
              BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(Channels.newInputStream(s), StandardCharsets.UTF_8));
              OutputStream out = Channels.newOutputStream(s);
              in.readLine();
              out.write("{\"ready\":true}\n".getBytes(StandardCharsets.UTF_8));
              for (String line; (line = in.readLine()) != null; ) {
                Matcher m = ID.matcher(line);
                m.find();
                String id = m.group(1);
                String answer =
                    line.contains("\"quiet\":true")
                        ? "{\"id\":"
                            + id
                            + ",\"type\":\"x/lock-not-held\",\"status\":409,\"title\":\"t\"}"
                        : "{\"id\":" + id + ",\"name\":\"n\",\"released\":true}";
                out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
              }
            } catch (Exception e) {
              // done
            }
          });
      LockChannelClient client =
          new LockChannelClient(
              URI.create("http://127.0.0.1:1"),
              path,
              () -> "t",
              (op, name, body, timeoutMs) -> {
                throw new AssertionError("http");
              });
      byte[] body = "{\"token\":1}".getBytes(StandardCharsets.UTF_8);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        boolean quiet = t % 2 == 0;
        threads.add(
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    for (int i = 0; i < 2000; i++) {
                      if (quiet) {
                        quietSent.incrementAndGet();
                        client.releaseQuietly(
                            "n", body, 10_000, a -> refusalsHeard.incrementAndGet());
                      } else {
                        client.call("release", "n", body, 10_000);
                      }
                    }
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                }));
      }
      for (Thread t : threads) {
        t.join();
      }
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> refusalsHeard.get() == quietSent.get());
      } catch (Exception e) {
        // reported below
      }
      assertThat(refusalsHeard.get()).as("refusals heard of").isEqualTo(quietSent.get());
    }
  }
}
