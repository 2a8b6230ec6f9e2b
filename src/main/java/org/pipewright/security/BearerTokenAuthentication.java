package org.pipewright.security;

import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A bearer token as presented ({@link #unauthenticated}) and, once checked, who it stands for. The
 * token itself is dropped after the check.
 */
final class BearerTokenAuthentication extends AbstractAuthenticationToken {

  private final String principal;
  private @Nullable String token;

  private BearerTokenAuthentication(
      String principal,
      @Nullable String token,
      Collection<? extends GrantedAuthority> authorities,
      boolean authenticated) {
    super(authorities);
    this.principal = principal;
    this.token = token;
    super.setAuthenticated(authenticated);
  }

  static BearerTokenAuthentication unauthenticated(String token) {
    return new BearerTokenAuthentication("bearer", token, List.of(), false);
  }

  static BearerTokenAuthentication authenticated(
      String principal, Collection<? extends GrantedAuthority> authorities) {
    return new BearerTokenAuthentication(principal, null, authorities, true);
  }

  @Override
  public @Nullable String getCredentials() {
    return token;
  }

  @Override
  public String getPrincipal() {
    return principal;
  }

  @Override
  public void setAuthenticated(boolean authenticated) {
    if (authenticated) {
      throw new IllegalArgumentException("Use BearerTokenAuthentication.authenticated(...)");
    }
    super.setAuthenticated(false);
  }

  @Override
  public void eraseCredentials() {
    super.eraseCredentials();
    token = null;
  }
}
