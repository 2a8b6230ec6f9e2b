package org.pipewright.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Which view to render: the whole page, or only the live part the page's script asks for again
 * every few seconds ({@code X-Pipewright-Fragment: <id>}), so a refresh moves a few kilobytes and
 * the server stays the one place that renders and escapes.
 */
final class Fragments {

  static final String HEADER = "X-Pipewright-Fragment";

  private Fragments() {}

  static String view(String page, HttpServletRequest request, Set<String> live) {
    String wanted = request.getHeader(HEADER);
    return wanted != null && live.contains(wanted) ? page + " :: " + wanted : page;
  }
}
