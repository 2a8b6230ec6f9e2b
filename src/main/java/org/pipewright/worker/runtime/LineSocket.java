package org.pipewright.worker.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lock channel's Unix socket on the control plane's host (docs/shared-log.md, "The lock
 * channel"): one message per line each way, opened with the bearer token as its first line. The
 * kernel hands each line straight to the thread that reads, with no frame and no mask.
 */
public final class LineSocket implements MessageSocket {

  /** A message longer than this is refused rather than read into memory. */
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final SocketChannel socket;
  private final ByteBuffer in = ByteBuffer.allocate(8 * 1024).flip();
  private final Object sending = new Object();

  private LineSocket(SocketChannel socket) {
    this.socket = socket;
  }

  /**
   * Connects and sends the token.
   *
   * @param timeoutMs for the connection and the answer to the token
   * @throws WebSocketConnection.RefusedHandshakeException when the control plane refused the socket
   *     (401 or 403 for the token, 429 when it has too many)
   * @throws IOException when nothing listens there, no answer came in time, or the socket broke
   */
  public static LineSocket open(Path path, String bearer, int timeoutMs) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    // A control plane that stopped serving the socket but still holds it open would never answer:
    // closing the channel ends the wait, which then fails as any broken socket does.
    AtomicBoolean settled = new AtomicBoolean();
    Thread timer =
        Thread.ofVirtual()
            .name("lock-socket-open")
            .start(() -> {
              try {
                Thread.sleep(timeoutMs);
              } catch (InterruptedException e) {
                return;
              }
              if (settled.compareAndSet(false, true)) { // first: the open fails as late
                close(channel);
              }
            });
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
      LineSocket socket = new LineSocket(channel);
      socket.sendText(bearer);
      String hello = socket.readText();
      if (!hello.contains("\"ready\":true")) {
        Map<String, Object> problem = JsonReader.parseObject(hello);
        int status = problem.get("status") instanceof Number n ? n.intValue() : 0;
        throw new WebSocketConnection.RefusedHandshakeException(
            status, "the lock socket " + path + " answered " + hello);
      }
      if (!settled.compareAndSet(false, true)) { // the timer came first and closed it
        throw new IOException("closed");
      }
      return socket;
    } catch (IOException e) {
      boolean late = !settled.compareAndSet(false, true);
      close(channel);
      throw late ? new IOException("the lock socket " + path + " did not answer in time", e) : e;
    } catch (RuntimeException e) { // an answer that is no JSON: no lock channel there
      settled.set(true);
      close(channel);
      throw new IOException("the lock socket " + path + " answered no JSON: " + e.getMessage(), e);
    } finally {
      timer.interrupt();
    }
  }

  private static void close(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void sendText(String text) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (sending) {
      while (out.hasRemaining()) {
        socket.write(out);
      }
    }
  }

  @Override
  public String readText() throws IOException {
    ByteArrayOutputStream line = null;
    while (true) {
      for (int i = in.position(); i < in.limit(); i++) {
        if (in.get(i) == '\n') {
          int start = in.position();
          in.position(i + 1);
          if (line == null) {
            return new String(in.array(), start, i - start, StandardCharsets.UTF_8);
          }
          line.write(in.array(), start, i - start); // a character may span two reads
          return line.toString(StandardCharsets.UTF_8);
        }
      }
      if (in.hasRemaining()) {
        line = line == null ? new ByteArrayOutputStream(in.remaining() * 2) : line;
        line.write(in.array(), in.position(), in.remaining());
        if (line.size() > MAX_MESSAGE_BYTES) {
          throw new IOException("a message over " + MAX_MESSAGE_BYTES + " bytes");
        }
      }
      in.clear();
      int read = socket.read(in);
      in.flip();
      if (read < 0) {
        throw new IOException("closed by the server");
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
