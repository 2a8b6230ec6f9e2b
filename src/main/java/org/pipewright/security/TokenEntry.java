package org.pipewright.security;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A person's token as the operator configures it: only its SHA-256, so the configuration file holds
 * no secret ({@code printf %s "$TOKEN" | sha256sum}).
 *
 * @param name who it belongs to: letters, digits, '.', '_' and '-', up to 64; shown in logs and on
 *     the dashboard, never the token
 * @param role what it may do
 * @param sha256 the token's SHA-256, 64 hexadecimal digits
 */
public record TokenEntry(String name, Role role, String sha256) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public TokenEntry {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "pipewright.security.tokens: name '"
              + name
              + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (name.equals(AdminToken.PRINCIPAL)) {
      throw new IllegalArgumentException(
          "pipewright.security.tokens: the name 'admin' is the admin token's");
    }
    if (role == null) {
      throw new IllegalArgumentException(
          "pipewright.security.tokens: " + name + " needs a role: viewer, operator or admin");
    }
    if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException(
          "pipewright.security.tokens: "
              + name
              + "'s sha256 must be 64 hexadecimal digits (printf %s \"$TOKEN\" | sha256sum)");
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
  }

  byte[] hash() {
    return HexFormat.of().parseHex(sha256);
  }
}
