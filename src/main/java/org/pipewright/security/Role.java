package org.pipewright.security;

import java.util.List;
import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a person's token may do. Each role includes the ones below it, so a rule names the least
 * role it needs.
 */
public enum Role {
  /** Reads pipelines, plans, runs, jobs, logs and locks; the dashboard without its buttons. */
  VIEWER,
  /** Also posts pipelines, starts and cancels runs, and writes to the shared log and locks. */
  OPERATOR,
  /** Everything: also the actuator beyond health and info. */
  ADMIN;

  /** {@code ROLE_ADMIN} and the like, as Spring Security's {@code hasRole} reads them. */
  String authority() {
    return "ROLE_" + name();
  }

  /** This role's authority and those of every role below it. */
  List<GrantedAuthority> authorities() {
    return java.util.Arrays.stream(values())
        .filter(role -> role.ordinal() <= ordinal())
        .<GrantedAuthority>map(role -> new SimpleGrantedAuthority(role.authority()))
        .toList();
  }

  /** The name people write in configuration: {@code viewer}, {@code operator}, {@code admin}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
