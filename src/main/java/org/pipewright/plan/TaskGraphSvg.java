package org.pipewright.plan;

import static org.pipewright.plan.GraphLayout.BOX_H;
import static org.pipewright.plan.GraphLayout.BOX_W;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Draws a task graph as SVG, Ruffus's {@code pipeline_printout_graph}: one box per task, coloured
 * by its state, placed in layers by dependency depth. Data flow is drawn solid, {@code follows}
 * dashed. Written by hand so the service needs no Graphviz.
 *
 * <p>The picture has its natural size in {@code width} and {@code height}, so it opens as it is in
 * a browser, and a {@code viewBox}, so a page can scale it: {@code svg.task-graph {max-width: 100%;
 * height: auto}}. Parts carry classes for CSS: {@code task <state>}, {@code task-name}, {@code
 * task-caption}, {@code task-link}, {@code edge} ({@code edge follows}), {@code legend}.
 */
public final class TaskGraphSvg {

  /** Longer names are cut with an ellipsis, the whole name in a tooltip: bold 13px in a box. */
  private static final int NAME_FITS = 24;

  /** Longer captions are squeezed into the box rather than spill into the next one. */
  private static final int CAPTION_FITS = 30;

  private TaskGraphSvg() {}

  /**
   * One task's box.
   *
   * @param task the task's name, shown and kept whole in {@code data-task}
   * @param upstream tasks it reads from: a solid arrow from each that is also a box
   * @param follows tasks it runs after: a dashed arrow from each that is also a box
   * @param state a CSS class for its state, next to {@code task}: {@code will-run}, {@code failed}
   * @param fill the box's colour, e.g. {@code #a6d9a0}
   * @param caption the line under the name, e.g. {@code merge: 1 of 1 jobs to run}
   * @param link where a click on the box goes, or {@code null} for a box that is no link; a URL
   *     whose parts the caller has encoded, escaped here for the markup only
   */
  public record Box(
      String task,
      List<String> upstream,
      List<String> follows,
      String state,
      String fill,
      String caption,
      @Nullable String link) {

    public Box {
      upstream = List.copyOf(upstream);
      follows = List.copyOf(follows);
    }
  }

  /**
   * One entry of the legend under the graph.
   *
   * @param label what the colour means, e.g. {@code up to date}
   * @param fill the colour, as in {@link Box#fill()}
   */
  public record LegendEntry(String label, String fill) {}

  /** The graph of a plan, each task coloured by what a run would do with it. */
  public static String render(Plan plan) {
    return render(plan.pipeline(), PlanBoxes.boxes(plan), PlanBoxes.LEGEND);
  }

  /**
   * The graph of any boxes: a plan's, a run's.
   *
   * @param title the picture's title, e.g. the pipeline's name
   * @param boxes in dependency order (as {@link TaskNode#graphOf} gives tasks), names unique
   * @param legend the colours used, left to right
   */
  public static String render(String title, List<Box> boxes, List<LegendEntry> legend) {
    GraphLayout layout = new GraphLayout(boxes, legend.size());
    StringBuilder svg = new StringBuilder();
    int width = layout.width();
    int height = layout.height();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"task-graph\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"13\">\n");
    svg.append("<title>").append(escape(title)).append("</title>\n");
    svg.append(
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">")
        .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
    for (Box box : boxes) {
      for (String up : box.upstream()) {
        edge(svg, up, box.task(), false, layout);
      }
      for (String up : box.follows()) {
        edge(svg, up, box.task(), true, layout);
      }
    }
    for (Box box : boxes) {
      box(svg, box, layout.x(box.task()), layout.y(box.task()));
    }
    legend(svg, legend, layout);
    return svg.append("</svg>\n").toString();
  }

  private static void edge(
      StringBuilder svg, String from, String to, boolean dashed, GraphLayout layout) {
    if (!layout.has(from)) {
      return; // a task the caller chose not to draw
    }
    svg.append("<line class=\"")
        .append(dashed ? "edge follows" : "edge")
        .append("\" x1=\"")
        .append(layout.x(from) + BOX_W / 2)
        .append("\" y1=\"")
        .append(layout.y(from) + BOX_H)
        .append("\" x2=\"")
        .append(layout.x(to) + BOX_W / 2)
        .append("\" y2=\"")
        .append(layout.y(to))
        .append("\" stroke=\"#555\" marker-end=\"url(#arrow)\"")
        .append(dashed ? " stroke-dasharray=\"5,4\"" : "")
        .append("/>\n");
  }

  private static void box(StringBuilder svg, Box box, int x, int y) {
    if (box.link() != null) {
      svg.append("<a class=\"task-link\" href=\"").append(escape(box.link())).append("\">");
    }
    svg.append("<g class=\"task ")
        .append(escape(box.state()))
        .append("\" data-task=\"")
        .append(escape(box.task()))
        .append("\">");
    String name = box.task();
    if (name.codePointCount(0, name.length()) > NAME_FITS) {
      svg.append("<title>").append(escape(name)).append("</title>");
      name = name.substring(0, name.offsetByCodePoints(0, NAME_FITS - 1)) + "\u2026";
    }
    svg.append("<rect x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\" width=\"")
        .append(BOX_W)
        .append("\" height=\"")
        .append(BOX_H)
        .append("\" rx=\"8\" fill=\"")
        .append(escape(box.fill()))
        .append("\" stroke=\"#333\"/>");
    svg.append("<text class=\"task-name\" x=\"")
        .append(x + BOX_W / 2)
        .append("\" y=\"")
        .append(y + 22)
        .append("\" text-anchor=\"middle\" font-weight=\"bold\">")
        .append(escape(name))
        .append("</text>");
    svg.append("<text class=\"task-caption\" x=\"")
        .append(x + BOX_W / 2)
        .append("\" y=\"")
        .append(y + 41)
        .append("\" text-anchor=\"middle\"");
    if (box.caption().length() > CAPTION_FITS) {
      svg.append(" textLength=\"")
          .append(BOX_W - 10)
          .append("\" lengthAdjust=\"spacingAndGlyphs\"");
    }
    svg.append('>').append(escape(box.caption())).append("</text></g>");
    svg.append(box.link() != null ? "</a>\n" : "\n");
  }

  private static void legend(StringBuilder svg, List<LegendEntry> legend, GraphLayout layout) {
    svg.append("<g class=\"legend\">");
    for (int i = 0; i < legend.size(); i++) {
      int x = layout.keyX(i);
      int y = layout.keyY(i);
      svg.append("<rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(escape(legend.get(i).fill()))
          .append("\" stroke=\"#333\"/><text x=\"")
          .append(x + 16)
          .append("\" y=\"")
          .append(y + 11)
          .append("\" font-size=\"11\">")
          .append(escape(legend.get(i).label()))
          .append("</text>");
    }
    svg.append("</g>\n");
  }

  /**
   * Text made safe for SVG's markup, inline in HTML or standalone: the five special characters as
   * entities, and control characters that XML forbids even as entities replaced.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(allowedInXml(c) ? c : '\uFFFD');
      }
    }
    return out.toString();
  }

  private static boolean allowedInXml(char c) {
    return c >= 0x20 ? c != '\uFFFE' && c != '\uFFFF' : c == '\t' || c == '\n' || c == '\r';
  }
}
