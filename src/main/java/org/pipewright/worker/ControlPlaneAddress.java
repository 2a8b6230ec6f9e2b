package org.pipewright.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Where this control plane's workers call it, known before the web server opens: the configured
 * callback URL, else {@code server.address:server.port}. A process that starts at the address of an
 * earlier one is that one's successor: it adopts its workers and runs at once.
 *
 * @param address host:port, or a value no other process has when the port is chosen at random
 * @param port the port this process will listen on, to check before taking anything over; 0 when it
 *     is chosen at random
 */
record ControlPlaneAddress(String address, @Nullable InetAddress host, int port) {

  static ControlPlaneAddress of(Environment environment, WorkerProperties properties) {
    String bind = environment.getProperty("server.address", "127.0.0.1");
    int port = environment.getProperty("server.port", Integer.class, 8080);
    InetAddress host;
    try {
      host = InetAddress.getByName(bind);
    } catch (IOException e) {
      host = null;
    }
    URI callback = properties.callbackUrl();
    if (callback != null) {
      return new ControlPlaneAddress(callback.getHost() + ":" + callback.getPort(), host, port);
    }
    if (port == 0) {
      return new ControlPlaneAddress("random-port:" + ProcessHandle.current().pid(), host, 0);
    }
    return new ControlPlaneAddress(bind + ":" + port, host, port);
  }

  /**
   * Refuses to start when another process listens on this port already: it may be a control plane
   * that is alive, whose runs must not be taken from it.
   */
  void checkFree() {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket(port, 1, host)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " is taken: another control plane may run here; not taking over its runs",
          e);
    }
  }
}
