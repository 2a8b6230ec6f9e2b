package org.pipewright.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pipewright.plan.PlannedTask.TaskState;

/**
 * Draws the task graph of a plan as SVG, Ruffus's {@code pipeline_printout_graph}: one box per
 * task, coloured by what a run would do, placed in layers by dependency depth. Data flow is drawn
 * solid, {@code follows} dashed. Written by hand so the service needs no Graphviz.
 */
public final class TaskGraphSvg {

  private static final int BOX_W = 200;
  private static final int BOX_H = 54;
  private static final int GAP_X = 40;
  private static final int GAP_Y = 50;
  private static final int MARGIN = 20;
  private static final int LEGEND_W = 2 * MARGIN + 5 * 100;

  private TaskGraphSvg() {}

  public static String render(Plan plan) {
    List<PlannedTask> tasks = plan.tasks();
    Map<String, Integer> layer = new HashMap<>();
    Map<String, Integer> column = new HashMap<>();
    Map<Integer, Integer> perLayer = new HashMap<>();
    int depth = 0;
    for (PlannedTask task : tasks) { // already in dependency order
      int l = 0;
      for (String dep : dependencies(task)) {
        l = Math.max(l, layer.getOrDefault(dep, -1) + 1);
      }
      layer.put(task.name(), l);
      column.put(task.name(), perLayer.merge(l, 1, Integer::sum) - 1);
      depth = Math.max(depth, l);
    }
    int widest = perLayer.values().stream().max(Integer::compare).orElse(1);
    int width = Math.max(2 * MARGIN + widest * BOX_W + (widest - 1) * GAP_X, LEGEND_W);
    int height = 2 * MARGIN + (depth + 1) * BOX_H + depth * GAP_Y + 40;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"13\">\n");
    svg.append("<title>").append(escape(plan.pipeline())).append("</title>\n");
    svg.append(
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">")
        .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
    Map<String, Integer> xs = new HashMap<>();
    for (PlannedTask task : tasks) {
      xs.put(task.name(), x(column.get(task.name()), perLayer.get(layer.get(task.name())), width));
    }
    for (PlannedTask task : tasks) {
      for (String up : task.upstream()) {
        edge(svg, up, task.name(), false, layer, xs);
      }
      for (String up : task.follows()) {
        edge(svg, up, task.name(), true, layer, xs);
      }
    }
    for (PlannedTask task : tasks) {
      int x = xs.get(task.name());
      int y = y(layer.get(task.name()));
      svg.append("<g class=\"task ")
          .append(task.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          .append("\" data-task=\"")
          .append(escape(task.name()))
          .append("\">");
      svg.append("<rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(BOX_W)
          .append("\" height=\"")
          .append(BOX_H)
          .append("\" rx=\"8\" fill=\"")
          .append(fill(task.state()))
          .append("\" stroke=\"#333\"/>");
      svg.append("<text x=\"")
          .append(x + BOX_W / 2)
          .append("\" y=\"")
          .append(y + 22)
          .append("\" text-anchor=\"middle\" font-weight=\"bold\">")
          .append(escape(task.name()))
          .append("</text>");
      svg.append("<text x=\"")
          .append(x + BOX_W / 2)
          .append("\" y=\"")
          .append(y + 41)
          .append("\" text-anchor=\"middle\">")
          .append(escape(caption(task)))
          .append("</text></g>\n");
    }
    legend(svg, height - 24);
    return svg.append("</svg>\n").toString();
  }

  private static List<String> dependencies(PlannedTask task) {
    return java.util.stream.Stream.concat(task.upstream().stream(), task.follows().stream())
        .toList();
  }

  private static void edge(
      StringBuilder svg,
      String from,
      String to,
      boolean dashed,
      Map<String, Integer> layer,
      Map<String, Integer> xs) {
    int x1 = xs.get(from) + BOX_W / 2;
    int y1 = y(layer.get(from)) + BOX_H;
    int x2 = xs.get(to) + BOX_W / 2;
    int y2 = y(layer.get(to));
    svg.append("<line x1=\"")
        .append(x1)
        .append("\" y1=\"")
        .append(y1)
        .append("\" x2=\"")
        .append(x2)
        .append("\" y2=\"")
        .append(y2)
        .append("\" stroke=\"#555\" marker-end=\"url(#arrow)\"")
        .append(dashed ? " stroke-dasharray=\"5,4\"" : "")
        .append("/>\n");
  }

  private static void legend(StringBuilder svg, int y) {
    int x = MARGIN;
    for (TaskState state :
        List.of(
            TaskState.WILL_RUN,
            TaskState.UP_TO_DATE,
            TaskState.DEFERRED,
            TaskState.INACTIVE,
            TaskState.NOT_SELECTED)) {
      svg.append("<rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(fill(state))
          .append("\" stroke=\"#333\"/><text x=\"")
          .append(x + 16)
          .append("\" y=\"")
          .append(y + 11)
          .append("\" font-size=\"11\">")
          .append(state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
          .append("</text>");
      x += 100;
    }
    svg.append('\n');
  }

  private static String caption(PlannedTask task) {
    return switch (task.state()) {
      case WILL_RUN ->
          task.kind() + ": " + task.jobsToRun() + " of " + task.jobs() + " jobs to run";
      case UP_TO_DATE -> task.kind() + ": " + task.jobs() + " jobs up to date";
      case DEFERRED -> task.kind() + ": jobs known later";
      case INACTIVE -> task.kind() + ": inactive";
      case NOT_SELECTED -> task.kind() + ": not a target";
    };
  }

  private static String fill(TaskState state) {
    return switch (state) {
      case WILL_RUN -> "#f6c177";
      case UP_TO_DATE -> "#a6d9a0";
      case DEFERRED -> "#b4d5f0";
      case INACTIVE -> "#dddddd";
      case NOT_SELECTED -> "#ffffff";
    };
  }

  /** Each layer is centred, so a lone task sits under the middle of a wide layer. */
  private static int x(int column, int inLayer, int width) {
    int layerWidth = inLayer * BOX_W + (inLayer - 1) * GAP_X;
    return (width - layerWidth) / 2 + column * (BOX_W + GAP_X);
  }

  private static int y(int layer) {
    return MARGIN + layer * (BOX_H + GAP_Y);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
