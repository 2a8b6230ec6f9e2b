package org.pipewright.security;

import org.pipewright.lock.LockSocketAdmission;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;

/**
 * Lets a token onto the lock channel's local socket by the same providers and the same rule as the
 * channel's WebSocket handshake ({@link AccessRules#LOCK_CHANNEL}).
 */
class LockSocketTokens implements LockSocketAdmission {

  private final AuthenticationManager tokens;

  LockSocketTokens(AuthenticationManager tokens) {
    this.tokens = tokens;
  }

  @Override
  public String principalOf(String token) {
    Authentication caller;
    try {
      caller = tokens.authenticate(BearerTokenAuthentication.unauthenticated(token));
    } catch (AuthenticationException e) {
      throw new UnauthorizedException("The bearer token is not valid");
    }
    for (GrantedAuthority authority : caller.getAuthorities()) {
      for (String role : AccessRules.LOCK_CHANNEL.roles()) {
        if (("ROLE_" + role).equals(authority.getAuthority())) {
          return caller.getName();
        }
      }
    }
    throw new ForbiddenException("This token's role does not open the lock channel");
  }
}
