package org.pipewright.plan;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parsed templates by their text. A filter sees the same few output and extras templates for every
 * job it plans, so each is parsed once; the bound only guards against a caller that builds a new
 * template per job, which then pays for parsing but cannot grow the heap.
 */
final class TemplateCache<T> {

  private static final int MAX_ENTRIES = 512;

  private final ConcurrentHashMap<String, T> parsed = new ConcurrentHashMap<>();
  private final Function<String, T> parser;

  TemplateCache(Function<String, T> parser) {
    this.parser = parser;
  }

  T get(String template) {
    T cached = parsed.get(template);
    if (cached != null) {
      return cached;
    }
    T fresh = parser.apply(template); // throws for a bad template, which is then not cached
    if (parsed.size() < MAX_ENTRIES) {
      parsed.putIfAbsent(template, fresh);
    }
    return fresh;
  }
}
