package org.pipewright.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/** Reads {@code Authorization: Bearer <token>}; requests without one stay anonymous. */
final class BearerTokens implements AuthenticationConverter {

  private static final String PREFIX = "bearer ";

  @Override
  public @Nullable Authentication convert(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (!isBearer(header)) {
      return null;
    }
    String token = header.substring(PREFIX.length()).strip();
    if (token.isEmpty()) {
      throw new BadCredentialsException("Empty bearer token");
    }
    return BearerTokenAuthentication.unauthenticated(token);
  }

  static boolean presented(HttpServletRequest request) {
    return isBearer(request.getHeader(HttpHeaders.AUTHORIZATION));
  }

  private static boolean isBearer(@Nullable String header) {
    return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }
}
