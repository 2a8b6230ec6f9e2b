package org.pipewright.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses request bodies larger than the limit without reading them whole: at once when the
 * declared Content-Length is too large, and while streaming when a chunked body grows past it.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

  private final long maxBytes;
  private final Map<String, Long> maxBytesByPath;
  private final HandlerExceptionResolver problems;

  /**
   * @param maxBytes the limit of every request
   * @param maxBytesByPath other limits for some paths, such as the shared log's batches
   */
  RequestBodyLimitFilter(
      long maxBytes, Map<String, Long> maxBytesByPath, HandlerExceptionResolver problems) {
    this.maxBytes = maxBytes;
    this.maxBytesByPath = Map.copyOf(maxBytesByPath);
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // The path inside the application, so a context path does not hide a route's own limit.
    String path = request.getRequestURI().substring(request.getContextPath().length());
    long maxBytes = maxBytesByPath.getOrDefault(path, this.maxBytes);
    if (request.getContentLengthLong() > maxBytes) {
      // Rendered by the same advice as every other error, before the body is touched.
      problems.resolveException(request, response, null, new RequestTooLargeException(maxBytes));
      return;
    }
    chain.doFilter(new LimitedRequest(request, maxBytes), response);
  }

  /** A request whose body stream throws {@link RequestTooLargeException} past the limit. */
  private static final class LimitedRequest extends HttpServletRequestWrapper {

    private final long maxBytes;
    private @Nullable ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedInputStream(super.getInputStream(), maxBytes);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class LimitedInputStream extends ServletInputStream {

    private final ServletInputStream delegate;
    private final long maxBytes;
    private long read;

    LimitedInputStream(ServletInputStream delegate, long maxBytes) {
      this.delegate = delegate;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > maxBytes) {
        throw new RequestTooLargeException(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
