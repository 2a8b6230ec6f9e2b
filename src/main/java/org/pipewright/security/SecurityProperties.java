package org.pipewright.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How clients prove who they are.
 *
 * @param adminToken the admin bearer token, for scripts and CI ({@code PIPEWRIGHT_ADMIN_TOKEN});
 *     when set, it is used as is and no token file is read or written (default: unset)
 * @param tokenFile where the generated admin token is kept when {@code adminToken} is unset:
 *     created on first start with owner-only permissions, read on later starts (default {@code
 *     ./data/admin-token})
 * @param sessionLifetime how long a dashboard sign-in lasts before the token is asked for again
 *     (default 7 days); changing the admin token ends every session at once, and removing a named
 *     token (or changing its role) ends its holder's
 * @param tokens named tokens for people, each with its role and only its SHA-256 (default: none;
 *     the admin token is then the only one)
 */
@ConfigurationProperties("pipewright.security")
public record SecurityProperties(
    @Nullable String adminToken,
    @DefaultValue("./data/admin-token") Path tokenFile,
    @DefaultValue("7d") Duration sessionLifetime,
    @Nullable List<TokenEntry> tokens) {

  public SecurityProperties {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
      throw new IllegalArgumentException("pipewright.security.session-lifetime must be positive");
    }
  }

  /** The configured token, or null when none is set (blank counts as none). */
  @Nullable String configuredToken() {
    return adminToken == null || adminToken.isBlank() ? null : adminToken.strip();
  }

  @Override
  public String toString() {
    // Keeps the token out of logs and actuator output that print the properties.
    return "SecurityProperties[adminToken="
        + (adminToken == null ? "unset" : "***")
        + ", tokenFile="
        + tokenFile
        + ", sessionLifetime="
        + sessionLifetime
        + ", tokens="
        + tokens.stream().map(t -> t.name() + ":" + t.role()).toList()
        + "]";
  }
}
