package org.pipewright.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers 401 and 403 as problem details, rendered by the same advice as every other error, with
 * the {@code WWW-Authenticate} challenge RFC 6750 asks for. A browser asking for a dashboard page
 * without being signed in is sent to the sign-in page instead, which brings it back afterwards.
 */
class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final HandlerExceptionResolver problems;

  ProblemAuthenticationHandlers(HandlerExceptionResolver problems) {
    this.problems = problems;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    if (fromABrowser(request) && !BearerTokens.presented(request)) {
      // A page comes back after signing in; a form (its sign-in ran out) cannot be sent again.
      String query = request.getQueryString();
      String next =
          request.getMethod().equals("POST")
              ? "/"
              : path(request) + (query == null ? "" : "?" + query);
      response.sendRedirect(
          request.getContextPath()
              + "/signin?next="
              + URLEncoder.encode(next, StandardCharsets.UTF_8));
      return;
    }
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
    problems.resolveException(
        request,
        response,
        null,
        denied instanceof CsrfException
            ? new ForbiddenException(
                "This form was not sent by a page of this dashboard, or the page is too old:"
                    + " reload it and try again")
            : new ForbiddenException());
  }

  /**
   * A browser asking for a page of the dashboard or sending one of its forms, as opposed to a
   * script (which does not ask for HTML), the API or the actuator.
   */
  private static boolean fromABrowser(HttpServletRequest request) {
    String path = path(request);
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    return List.of("GET", "HEAD", "POST").contains(request.getMethod())
        && accept != null
        && accept.contains("text/html")
        && !path.startsWith("/api/")
        && !path.startsWith("/actuator");
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }
}
