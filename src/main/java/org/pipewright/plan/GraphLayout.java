package org.pipewright.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pipewright.plan.TaskGraphSvg.Box;

/**
 * Where {@link TaskGraphSvg} puts each box: one layer per dependency depth, each layer centred, the
 * legend in rows underneath. A box is placed below every box before it that it depends on, so boxes
 * come in dependency order; a dependency that is not among the boxes is left out of the depth.
 */
final class GraphLayout {

  static final int BOX_W = 200;
  static final int BOX_H = 54;
  static final int GAP_X = 40;
  static final int GAP_Y = 50;
  static final int MARGIN = 20;
  static final int KEY_W = 100;
  static final int KEY_ROW_H = 20;

  /** Legend entries a row holds at least, so the picture is never narrower than that. */
  private static final int KEYS_MIN_PER_ROW = 5;

  private final Map<String, Integer> layer = new HashMap<>();
  private final Map<String, Integer> xs = new HashMap<>();
  private final int width;
  private final int height;
  private final int legendY;
  private final int keysPerRow;

  GraphLayout(List<Box> boxes, int legendEntries) {
    Map<String, Integer> column = new HashMap<>();
    Map<Integer, Integer> perLayer = new HashMap<>();
    int depth = 0;
    for (Box box : boxes) {
      int l = 0;
      for (String dep : box.upstream()) {
        l = Math.max(l, layer.getOrDefault(dep, -1) + 1);
      }
      for (String dep : box.follows()) {
        l = Math.max(l, layer.getOrDefault(dep, -1) + 1);
      }
      if (layer.putIfAbsent(box.task(), l) != null) {
        throw new IllegalArgumentException("two boxes for task '" + box.task() + "'");
      }
      column.put(box.task(), perLayer.merge(l, 1, Integer::sum) - 1);
      depth = Math.max(depth, l);
    }
    int widest = perLayer.values().stream().max(Integer::compare).orElse(1);
    int legendWidth = 2 * MARGIN + Math.min(legendEntries, KEYS_MIN_PER_ROW) * KEY_W;
    this.width = Math.max(2 * MARGIN + widest * BOX_W + (widest - 1) * GAP_X, legendWidth);
    this.keysPerRow = Math.max(1, (width - 2 * MARGIN) / KEY_W);
    int rows = Math.max(1, (legendEntries + keysPerRow - 1) / keysPerRow);
    int graphBottom = MARGIN + (depth + 1) * BOX_H + depth * GAP_Y;
    this.legendY = graphBottom + 36;
    this.height = graphBottom + MARGIN + 40 + (rows - 1) * KEY_ROW_H;
    for (Box box : boxes) {
      String task = box.task();
      xs.put(task, x(column.get(task), perLayer.get(layer.get(task))));
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  boolean has(String task) {
    return layer.containsKey(task);
  }

  int x(String task) {
    return xs.get(task);
  }

  int y(String task) {
    return MARGIN + layer.get(task) * (BOX_H + GAP_Y);
  }

  /** The top left of the legend entry at {@code index}, filling rows left to right. */
  int keyX(int index) {
    return MARGIN + (index % keysPerRow) * KEY_W;
  }

  int keyY(int index) {
    return legendY + (index / keysPerRow) * KEY_ROW_H;
  }

  /** A lone task sits under the middle of a wide layer. */
  private int x(int column, int inLayer) {
    int layerWidth = inLayer * BOX_W + (inLayer - 1) * GAP_X;
    return (width - layerWidth) / 2 + column * (BOX_W + GAP_X);
  }
}
