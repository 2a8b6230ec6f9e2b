package org.pipewright.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Accepts the tokens people hold (the admin token and the configured named tokens) and grants their
 * role with every role below it. Worker tokens are another provider's.
 */
class PersonTokenAuthenticationProvider implements AuthenticationProvider {

  private final PersonTokens tokens;

  PersonTokenAuthenticationProvider(PersonTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    if (authentication.getCredentials() instanceof String presented) {
      var caller = tokens.find(presented);
      if (caller.isPresent()) {
        return caller.get().authentication();
      }
    }
    throw new BadCredentialsException("Invalid bearer token");
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthentication.class.isAssignableFrom(authentication);
  }
}
