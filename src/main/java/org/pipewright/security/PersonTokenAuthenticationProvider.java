package org.pipewright.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * Accepts the tokens people hold (the admin token and the configured named tokens) and grants their
 * role with every role below it. Worker tokens are another provider's: for them it answers null,
 * the contract's "not mine", and the manager asks the next provider. Throwing instead cost every
 * worker call an exception with a stack trace through the whole filter chain; an unknown token
 * still fails, with the last provider's exception or the manager's own.
 */
class PersonTokenAuthenticationProvider implements AuthenticationProvider {

  private final PersonTokens tokens;

  PersonTokenAuthenticationProvider(PersonTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public @Nullable Authentication authenticate(Authentication authentication) {
    if (authentication.getCredentials() instanceof String presented) {
      var caller = tokens.find(presented);
      if (caller.isPresent()) {
        return caller.get().authentication();
      }
    }
    return null;
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthentication.class.isAssignableFrom(authentication);
  }
}
