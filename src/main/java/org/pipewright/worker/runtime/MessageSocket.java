package org.pipewright.worker.runtime;

import java.io.IOException;

/**
 * A socket that carries text messages both ways: the lock channel's WebSocket, or its Unix socket
 * on the control plane's own host. Sending and reading may happen on two threads at once.
 */
public interface MessageSocket extends AutoCloseable {

  /** Sends one message. */
  void sendText(String text) throws IOException;

  /**
   * Reads the next message.
   *
   * @throws IOException when the socket closes, breaks, or the other end closes it
   */
  String readText() throws IOException;

  @Override
  void close();
}
