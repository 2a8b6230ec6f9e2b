package org.pipewright.security;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Accepts worker tokens: a launch token opens only registration ({@code ROLE_WORKER_LAUNCH}), a
 * session token only the worker protocol ({@code ROLE_WORKER}), an attempt token only the shared
 * log and locks, for its own job ({@code ROLE_JOB}); never the rest of the API.
 */
class WorkerTokenAuthenticationProvider implements AuthenticationProvider {

  static final String WORKER_ROLE = "WORKER";
  static final String LAUNCH_ROLE = "WORKER_LAUNCH";
  static final String JOB_ROLE = "JOB";

  private final WorkerCredentials credentials;

  WorkerTokenAuthenticationProvider(WorkerCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    if (authentication.getCredentials() instanceof String token) {
      OptionalLong session = credentials.sessionToken(token);
      if (session.isPresent()) {
        return BearerTokenAuthentication.authenticated(
            WorkerCredentials.principal(session.getAsLong()),
            List.of(new SimpleGrantedAuthority("ROLE_" + WORKER_ROLE)));
      }
      if (token.indexOf('.') > 0) {
        Optional<WorkerCredentials.AttemptCredential> attempt = credentials.attemptToken(token);
        if (attempt.isPresent()) {
          return BearerTokenAuthentication.authenticated(
              WorkerCredentials.jobPrincipal(
                  attempt.get().workerId(), attempt.get().jobId(), attempt.get().attempt()),
              List.of(
                  new SimpleGrantedAuthority("ROLE_" + JOB_ROLE),
                  new SimpleGrantedAuthority(
                      WorkerCredentials.jobAuthority(
                          attempt.get().runId(), attempt.get().jobId(), attempt.get().attempt()))));
        }
      }
      OptionalLong launch = credentials.launchToken(token);
      if (launch.isPresent()) {
        return BearerTokenAuthentication.authenticated(
            "launch:" + launch.getAsLong(),
            List.of(new SimpleGrantedAuthority("ROLE_" + LAUNCH_ROLE)));
      }
    }
    throw new BadCredentialsException("Invalid bearer token");
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerTokenAuthentication.class.isAssignableFrom(authentication);
  }
}
