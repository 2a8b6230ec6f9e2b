package org.pipewright.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers 401 and 403 as problem details, rendered by the same advice as every other error, with
 * the {@code WWW-Authenticate} challenge RFC 6750 asks for.
 */
class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final HandlerExceptionResolver problems;

  ProblemAuthenticationHandlers(HandlerExceptionResolver problems) {
    this.problems = problems;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) {
    boolean presented = BearerTokens.presented(request);
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        presented
            ? "Bearer realm=\"pipewright\", error=\"invalid_token\""
            : "Bearer realm=\"pipewright\"");
    problems.resolveException(
        request,
        response,
        null,
        new UnauthorizedException(
            presented
                ? "The bearer token is not valid"
                : "This request needs an Authorization: Bearer <token> header"));
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied) {
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pipewright\", error=\"insufficient_scope\"");
    problems.resolveException(request, response, null, new ForbiddenException());
  }
}
