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
    int capacity = Integer.highestOneBit(Math.max(16, expected * 4 / 3)) << 1;
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
        if (++size > keys.length - (keys.length >>> 2)) { // load factor 0.75
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

  /** Makes room for this many entries at once, instead of doubling (and rehashing) repeatedly. */
  void ensureCapacity(int entries) {
    int capacity = keys.length;
    while (entries > capacity - (capacity >>> 2)) {
      capacity *= 2;
    }
    if (capacity > keys.length) {
      resize(capacity);
    }
  }

  private void grow() {
    resize(keys.length * 2);
  }

  private void resize(int capacity) {
    String[] oldKeys = keys;
    long[] oldValues = values;
    keys = new String[capacity];
    values = new long[capacity];
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

  /** Murmur3's finaliser: String hashes of names differing only in a number cluster badly. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }
}
