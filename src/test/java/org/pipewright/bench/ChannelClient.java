package org.pipewright.bench;

import java.io.IOException;
import java.net.URI;
import org.pipewright.worker.runtime.WebSocketConnection;

/**
 * A client of the lock channel for the benchmark: one socket, one message at a time, each answer
 * read on the caller's thread. A blocking round trip with no thread between the caller and the
 * socket, so the numbers are the control plane's.
 */
final class ChannelClient implements AutoCloseable {

  private final WebSocketConnection socket;
  private long nextId;

  ChannelClient(String base, String token) throws IOException {
    socket = WebSocketConnection.open(URI.create(base), "/api/lock-channel", token, 10_000);
  }

  /** Sends one message, which this adds the id to, and returns its answer. */
  String call(String fields) throws IOException {
    long id = ++nextId;
    socket.sendText("{\"id\":" + id + "," + fields + "}");
    String answer = socket.readText();
    if (!answer.startsWith("{\"id\":" + id + ",")) {
      throw new IOException("lock channel: unexpected answer " + answer);
    }
    return answer;
  }

  @Override
  public void close() {
    socket.close();
  }
}
