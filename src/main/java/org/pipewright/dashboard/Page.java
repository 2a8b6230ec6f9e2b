package org.pipewright.dashboard;

import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Where a paged table is: rows {@code from}..{@code to} of {@code total} (when counted), with links
 * to the pages around it that keep every other filter of the current address.
 *
 * @param total all rows, or -1 when they were not counted
 * @param shown rows on this page
 */
record Page(
    long total,
    int offset,
    int limit,
    int shown,
    @Nullable String previous,
    @Nullable String next) {

  /** A page of a table whose rows were counted. */
  static Page of(long total, int offset, int limit) {
    int shown = (int) Math.max(0, Math.min(limit, total - offset));
    return new Page(
        total,
        offset,
        limit,
        shown,
        previous(offset, limit),
        nextIf(offset + (long) limit < total, offset + limit));
  }

  /** A page of a table too costly to count: whether more follow is all that is known. */
  static Page uncounted(int offset, int limit, int shown, boolean more) {
    return new Page(
        -1, offset, limit, shown, previous(offset, limit), nextIf(more, offset + limit));
  }

  public boolean needed() {
    return previous != null || next != null;
  }

  public long from() {
    return shown == 0 ? 0 : offset + 1L;
  }

  public long to() {
    return offset + (long) shown;
  }

  public String label() {
    return total < 0 ? from() + "–" + to() : from() + "–" + to() + " of " + total;
  }

  private static @Nullable String previous(int offset, int limit) {
    return offset > 0 ? link(Math.max(0, offset - limit)) : null;
  }

  private static @Nullable String nextIf(boolean more, long offset) {
    return more ? link(offset) : null;
  }

  private static String link(long offset) {
    return ServletUriComponentsBuilder.fromCurrentRequest()
        .replaceQueryParam("offset", offset)
        .build()
        .toUriString();
  }
}
