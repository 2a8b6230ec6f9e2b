package org.pipewright.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client of the lock channel for the benchmark, plain JDK sockets: one socket, one message at a
 * time, each answer read on the caller's thread. A blocking round trip, as a job calls {@code
 * ctx.lock}, with no thread between the caller and the socket.
 */
final class ChannelClient implements AutoCloseable {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private long nextId;

  ChannelClient(String base, String token) throws Exception {
    URI uri = URI.create(base);
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    socket.setSoTimeout(30_000);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    out = socket.getOutputStream();
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String handshake =
        "GET /api/lock-channel HTTP/1.1\r\n"
            + "Host: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    out.write(handshake.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead(in);
    String accept =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
    if (!head.startsWith("HTTP/1.1 101") || !head.contains(accept)) {
      throw new IOException("lock channel refused: " + head);
    }
  }

  /** Sends one message, which this adds the id to, and returns its answer. */
  String call(String fields) throws IOException {
    long id = ++nextId;
    send("{\"id\":" + id + "," + fields + "}");
    String answer = receive();
    if (!answer.startsWith("{\"id\":" + id + ",")) {
      throw new IOException("lock channel: unexpected answer " + answer);
    }
    return answer;
  }

  private void send(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x81); // FIN, text
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      throw new IOException("message too long");
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    frame.writeTo(out);
    out.flush();
  }

  private String receive() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      int opcode = first & 0x0f;
      if (opcode == 0x8) {
        throw new IOException("lock channel closed by the control plane");
      }
      if (opcode == 0x9 || opcode == 0xA) {
        continue; // ping or pong: the server does not ping this client
      }
      message.write(payload);
      if ((first & 0x80) != 0) {
        return message.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("lock channel: connection closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
