package org.pipewright;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets handed to workers and attempts. Only their SHA-256 is stored, so a copy of the database
 * opens nothing; comparisons take constant time.
 */
public final class Tokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** 128 random bits, URL-safe. */
  public static String generate() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hex SHA-256 of a token, as stored. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Whether a presented token hashes to the stored hash, in time that does not depend on either.
   */
  public static boolean matches(String presented, String storedHash) {
    return sameHash(hash(presented), storedHash);
  }

  /** Compares two hashes in constant time, for a caller that hashed the token already. */
  public static boolean sameHash(String hash, String storedHash) {
    return MessageDigest.isEqual(
        hash.getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
