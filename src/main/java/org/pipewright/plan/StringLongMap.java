package org.pipewright.plan;

import java.util.Arrays;

/**
 * An open-addressing map from file names to longs. Plans of a million jobs keep a few of these
 * (file times, who writes each output); {@code HashMap<String, Long>} would spend a node and a
 * boxed value per entry, about twice the memory, and planning is bound by it.
 */
final class StringLongMap {

  /** Returned by {@link #get} for absent keys; callers never store it. */
  static final long ABSENT = Long.MIN_VALUE;

  private String[] keys;
  private long[] values;
  private int size;

  StringLongMap() {
    this(64);
  }

  StringLongMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new String[capacity];
    values = new long[capacity];
  }

  long get(String key) {
    int mask = keys.length - 1;
    for (int i = mix(key.hashCode()) & mask; ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        return ABSENT;
      }
      if (k.equals(key)) {
        return values[i];
      }
    }
  }

  /** Stores the value unless the key is present; returns the value already there, or ABSENT. */
  long putIfAbsent(String key, long value) {
    int mask = keys.length - 1;
    for (int i = mix(key.hashCode()) & mask; ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
          grow();
        }
        return ABSENT;
      }
      if (k.equals(key)) {
        return values[i];
      }
    }
  }

  int size() {
    return size;
  }

  private void grow() {
    String[] oldKeys = keys;
    long[] oldValues = values;
    keys = new String[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      String key = oldKeys[j];
      if (key != null) {
        int i = mix(key.hashCode()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = oldValues[j];
      }
    }
    Arrays.fill(oldKeys, null);
  }

  /** Spreads String hashes, whose low bits are poor for names differing only in a number. */
  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
