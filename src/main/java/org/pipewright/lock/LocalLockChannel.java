package org.pipewright.lock;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The lock channel's Unix socket for clients on this host, when it listens: not configured, or
 * taken by another control plane, it does not, and local clients use the WebSocket.
 */
public record LocalLockChannel(@Nullable LocalLockSocket socket) implements AutoCloseable {

  /** Where local clients connect, when it listens. */
  public Optional<Path> path() {
    return socket == null ? Optional.empty() : Optional.of(socket.path());
  }

  /** How many sockets are open. */
  public int sockets() {
    return socket == null ? 0 : socket.sockets();
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close();
    }
  }
}
