package org.pipewright.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its dashboard session cookie when it carries no bearer token. A cookie
 * that is forged or expired leaves the request anonymous, so a page sends the browser to sign in.
 */
final class SessionCookieFilter extends OncePerRequestFilter {

  private final DashboardSessions sessions;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  SessionCookieFilter(DashboardSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!BearerTokens.presented(request) && contexts.getContext().getAuthentication() == null) {
      sessions
          .authenticate(request)
          .ifPresent(authentication -> {
            var context = contexts.createEmptyContext();
            context.setAuthentication(authentication);
            contexts.setContext(context);
          });
    }
    chain.doFilter(request, response);
  }
}
