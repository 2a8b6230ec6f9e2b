package org.pipewright.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;

/**
 * The tokens people hold: the admin token, and the named tokens configured with their role. A
 * presented token is compared with every one of them, all the way, so how long a check takes says
 * nothing about which token came close.
 */
final class PersonTokens {

  /** Who a token stands for. */
  record Caller(String name, Role role) {

    Authentication authentication() {
      return BearerTokenAuthentication.authenticated(name, role.authorities());
    }
  }

  private final AdminToken admin;
  private final List<TokenEntry> entries;

  /** Each entry's hash as bytes, parsed once: every bearer call, workers' too, is checked here. */
  private final List<byte[]> hashes;

  PersonTokens(AdminToken admin, List<TokenEntry> entries) {
    this.admin = admin;
    this.entries = List.copyOf(entries);
    this.hashes = this.entries.stream().map(TokenEntry::hash).toList();
    long names = entries.stream().map(TokenEntry::name).distinct().count();
    if (names != entries.size()) {
      throw new IllegalArgumentException("pipewright.security.tokens: two tokens share a name");
    }
  }

  Optional<Caller> find(String presented) {
    byte[] hash = sha256(presented);
    Caller found = admin.matchesHash(hash) ? new Caller(AdminToken.PRINCIPAL, Role.ADMIN) : null;
    for (int i = 0; i < entries.size(); i++) {
      if (MessageDigest.isEqual(hash, hashes.get(i)) && found == null) {
        found = new Caller(entries.get(i).name(), entries.get(i).role());
      }
    }
    return Optional.ofNullable(found);
  }

  /** The caller a session names, while a token with that name and role is still configured. */
  Optional<Caller> current(String name, Role role) {
    if (name.equals(AdminToken.PRINCIPAL)) {
      return role == Role.ADMIN ? Optional.of(new Caller(name, role)) : Optional.empty();
    }
    return entries.stream()
        .filter(entry -> entry.name().equals(name) && entry.role() == role)
        .findFirst()
        .map(entry -> new Caller(name, role));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
