package org.pipewright.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Whether a request that changes something came from the dashboard's own pages, by what the browser
 * says about where it was sent from.
 *
 * <p>The CSRF token alone is not enough: it is compared with a cookie, and cookies do not separate
 * ports, so another web application on the same host (or a sibling subdomain) could plant its own
 * token cookie and post a matching form. Browsers send {@code Sec-Fetch-Site} and {@code Origin}
 * with every such form, and no page can forge them; a request that carries neither (an old browser,
 * a script holding the cookie) still needs the token.
 */
final class SameOriginFilter extends OncePerRequestFilter {

  private final AccessDeniedHandler denied;

  SameOriginFilter(AccessDeniedHandler denied) {
    this.denied = denied;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SecurityConfiguration.fromTheDashboard(request) && !allows(request)) {
      denied.handle(request, response, new CsrfException("sent from another site"));
      return;
    }
    chain.doFilter(request, response);
  }

  static boolean allows(HttpServletRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return false;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    return origin == null || sameAuthority(origin, request.getHeader(HttpHeaders.HOST));
  }

  /** The origin names the host and port the browser sent this request to. */
  private static boolean sameAuthority(String origin, @Nullable String host) {
    if (host == null || origin.equals("null")) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      String authority = uri.getRawAuthority();
      if (authority == null) {
        return false;
      }
      // Both leave the port out when it is the scheme's default.
      return authority.equalsIgnoreCase(host);
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
