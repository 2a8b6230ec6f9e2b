package org.pipewright.worker.runtime;

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
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLSocketFactory;

/**
 * A client's WebSocket (RFC 6455) on a plain blocking socket, text frames only: what the lock
 * channel needs, and not one thread or class more. The JDK's {@code java.net.http} WebSocket hands
 * every message through a selector thread and an executor; here the reader's own thread reads the
 * answer off the socket. Sending and reading may happen on two threads at once, each with itself.
 */
public final class WebSocketConnection implements MessageSocket {

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** A message longer than this is refused rather than read into memory. */
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private WebSocketConnection(Socket socket, DataInputStream in, OutputStream out) {
    this.socket = socket;
    this.in = in;
    this.out = out;
  }

  /** A handshake the server answered with something other than 101: it speaks no WebSocket here. */
  public static final class RefusedHandshakeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    RefusedHandshakeException(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The HTTP status the handshake was answered with; 0 when the answer had none. */
    public int status() {
      return status;
    }
  }

  /**
   * Connects and makes the handshake.
   *
   * @param base the control plane's URL, {@code http://} or {@code https://}
   * @param path the socket's path, such as {@code /api/lock-channel}
   * @param bearer the token sent as {@code Authorization: Bearer}
   * @param timeoutMs for the connection and the handshake; reads after it wait as long as it takes
   * @throws RefusedHandshakeException when the server answered the handshake with another status
   */
  public static WebSocketConnection open(URI base, String path, String bearer, int timeoutMs)
      throws IOException {
    boolean tls = "https".equals(base.getScheme().toLowerCase(Locale.ROOT));
    int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
    Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(base.getHost(), port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      OutputStream out = socket.getOutputStream();
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      String key = Base64.getEncoder().encodeToString(nonce);
      String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
      String handshake =
          "GET "
              + prefix
              + path
              + " HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + port
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Key: "
              + key
              + "\r\nAuthorization: Bearer "
              + bearer
              + "\r\n\r\n";
      out.write(handshake.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(in);
      String statusLine = head.lines().findFirst().orElse("");
      if (!statusLine.startsWith("HTTP/1.1 101")) {
        throw new RefusedHandshakeException(
            status(statusLine), "GET " + path + " answered " + statusLine);
      }
      if (!head.contains(accept(key))) {
        throw new IOException("GET " + path + ": the handshake's answer does not match its key");
      }
      socket.setSoTimeout(0);
      return new WebSocketConnection(socket, in, out);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends one text message in one frame, masked as a client must. */
  @Override
  public synchronized void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x81); // FIN, text
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (length >>> shift) & 0xff);
      }
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

  /**
   * Reads the next text message, answering pings on the way.
   *
   * @throws IOException when the socket closes, breaks or times out, or the server closes it
   */
  @Override
  public String readText() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream(128);
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      if (length < 0 || message.size() + length > MAX_MESSAGE_BYTES) {
        throw new IOException("a message over " + MAX_MESSAGE_BYTES + " bytes");
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      int opcode = first & 0x0f;
      switch (opcode) {
        case 0x8 -> throw new IOException("closed by the server");
        case 0x9 -> sendControl(0xA, payload); // ping: pong
        case 0xA -> {} // an unasked pong
        default -> {
          message.write(payload);
          if ((first & 0x80) != 0) {
            return message.toString(StandardCharsets.UTF_8);
          }
        }
      }
    }
  }

  private synchronized void sendControl(int opcode, byte[] payload) throws IOException {
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) (0x80 | opcode);
    frame[1] = (byte) (0x80 | payload.length);
    // A zero mask: the payload goes as it is.
    System.arraycopy(payload, 0, frame, 6, payload.length);
    out.write(frame);
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static int status(String statusLine) {
    String[] parts = statusLine.split(" ", 3);
    try {
      return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String accept(String key) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-1")
                  .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 8192 && !head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed during the handshake");
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
