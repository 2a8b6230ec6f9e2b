package org.pipewright.lock;

import org.jspecify.annotations.Nullable;

/** The shape of what lock calls name, checked before any lock is touched. */
final class LockChecks {

  static final int MAX_NAME = 100;
  static final int MAX_TEXT = 200;

  private LockChecks() {}

  /** Letters, digits, {@code .}, {@code _} and {@code -}, 1 to 100 of them, no leading dot. */
  static boolean validName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME || name.charAt(0) == '.') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static void name(String name) {
    if (!validName(name)) {
      throw new InvalidLockRequestException(
          "name",
          "a lock name is 1 to "
              + MAX_NAME
              + " letters, digits, '.', '_' or '-', not starting with a dot");
    }
  }

  /** A required text field: present, not blank, at most 200 characters. */
  static String text(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidLockRequestException(field, "required");
    }
    if (value.length() > MAX_TEXT) {
      throw new InvalidLockRequestException(field, "at most " + MAX_TEXT + " characters");
    }
    return value;
  }

  /** A required token. */
  static long token(@Nullable Long token) {
    if (token == null) {
      throw new InvalidLockRequestException("token", "required");
    }
    return token;
  }

  static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidLockRequestException(
          field, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }
}
