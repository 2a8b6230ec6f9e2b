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
   * @throws WebSocketConnection.RefusedHandshakeException when the token is refused (401, 403)
   * @throws IOException when nothing listens there, or the socket breaks
   */
  public static LineSocket open(Path path, String bearer) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
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
      return socket;
    } catch (IOException e) {
      channel.close();
      throw e;
    } catch (RuntimeException e) { // an answer that is no JSON: no lock channel there
      channel.close();
      throw new IOException("the lock socket " + path + " answered no JSON: " + e.getMessage(), e);
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
