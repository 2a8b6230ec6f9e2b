package org.pipewright.security;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Accepts the admin token and grants {@code ROLE_ADMIN}. Viewer, operator and worker tokens will be
 * further providers beside this one.
 */
class AdminTokenAuthenticationProvider implements AuthenticationProvider {

  static final String ADMIN_ROLE = "ADMIN";

  private final AdminToken adminToken;

  AdminTokenAuthenticationProvider(AdminToken adminToken) {
    this.adminToken = adminToken;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    Object token = authentication.getCredentials();
    if (token instanceof String presented && adminToken.matches(presented)) {
      return BearerTokenAuthentication.authenticated(
          "admin", List.of(new SimpleGrantedAuthority("ROLE_" + ADMIN_ROLE)));
    }
    throw new BadCredentialsException("Invalid bearer token");
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthentication.class.isAssignableFrom(authentication);
  }
}
