package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * JSON POSTs to the control plane on {@link HttpURLConnection}, whose JDK-wide keep-alive cache
 * lets each calling thread reuse its connection. Chosen over {@code java.net.http} because it loads
 * far fewer classes and starts no selector thread: a worker JVM must reach its first lease within
 * half a second. Never uses a proxy: the control plane is reached directly.
 */
final class HttpTransport {

  /** An answer larger than this is refused rather than read into memory. */
  static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  private final String baseUrl;
  private final int connectTimeoutMs;
  private final ConcurrentHashMap<String, URL> urls = new ConcurrentHashMap<>();

  HttpTransport(String baseUrl, int connectTimeoutMs) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  /**
   * POSTs a JSON body and reads the whole answer, whatever its status.
   *
   * @param bearer the token for {@code Authorization: Bearer}, or null for none
   * @param readTimeoutMs how long to wait for the answer once connected
   * @throws UnreachableException when no answer came: connection refused or broken, or a timeout
   */
  HttpAnswer post(String path, @Nullable String bearer, byte[] body, int readTimeoutMs)
      throws UnreachableException {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) url(path).openConnection(Proxy.NO_PROXY);
      connection.setConnectTimeout(connectTimeoutMs);
      connection.setReadTimeout(readTimeoutMs);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setUseCaches(false);
      // No streaming mode: before a streaming POST on a kept-alive connection the JDK probes the
      // connection with a 1 ms read that ends in a SocketTimeoutException (HttpClient.available),
      // which cost every call over a millisecond. Buffered, it skips the probe, sends headers
      // and body in one write and sets Content-Length itself; the bodies here are small.
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setRequestProperty("Accept", "application/json");
      if (bearer != null) {
        connection.setRequestProperty("Authorization", "Bearer " + bearer);
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      if (status < 0) {
        throw new IOException("not an HTTP answer");
      }
      return new HttpAnswer(status, readBody(connection, status));
    } catch (IOException e) {
      if (connection != null) {
        connection.disconnect();
      }
      throw new UnreachableException(
          "POST " + path + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Reads the body to its end and closes it, which hands the connection back for keep-alive. */
  private static String readBody(HttpURLConnection connection, int status) throws IOException {
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (in == null) {
      return "";
    }
    try (in) {
      byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private URL url(String path) throws IOException {
    URL url = urls.get(path);
    if (url == null) {
      try {
        url = URI.create(baseUrl + path).toURL();
      } catch (IllegalArgumentException e) {
        throw new IOException("bad URL " + baseUrl + path, e);
      }
      urls.put(path, url);
    }
    return url;
  }
}
