package org.pipewright.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.pipewright.worker.runtime.LineSocket;
import org.pipewright.worker.runtime.MessageSocket;
import org.pipewright.worker.runtime.WebSocketConnection;

/**
 * A client of the lock channel for the benchmark: one socket, one message at a time, each answer
 * read on the caller's thread. A blocking round trip with no thread between the caller and the
 * socket, so the numbers are the control plane's. The socket is the worker's own: the WebSocket, or
 * the Unix socket local workers use.
 */
final class ChannelClient implements AutoCloseable {

  private final MessageSocket socket;
  private long nextId;

  private ChannelClient(MessageSocket socket) {
    this.socket = socket;
  }

  static ChannelClient webSocket(String base, String token) throws IOException {
    return new ChannelClient(
        WebSocketConnection.open(URI.create(base), "/api/lock-channel", token, 10_000));
  }

  static ChannelClient local(Path socket, String token) throws IOException {
    return new ChannelClient(LineSocket.open(socket, token, 10_000));
  }

  /** Sends one message, which this adds the id to, and returns its answer. */
  String call(String fields) throws IOException {
    long id = send(fields);
    String answer = socket.readText();
    if (!answer.startsWith("{\"id\":" + id + ",")) {
      throw new IOException("lock channel: unexpected answer " + answer);
    }
    return answer;
  }

  /** Sends one message, which this adds the id to, and returns the id. */
  long send(String fields) throws IOException {
    long id = ++nextId;
    socket.sendText("{\"id\":" + id + "," + fields + "}");
    return id;
  }

  @Override
  public void close() {
    socket.close();
  }
}
