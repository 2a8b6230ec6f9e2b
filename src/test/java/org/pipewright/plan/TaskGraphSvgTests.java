package org.pipewright.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pipewright.SvgDocument.child;
import static org.pipewright.SvgDocument.text;
import static org.pipewright.plan.Defs.*;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.SvgDocument;
import org.pipewright.plan.TaskGraphSvg.Box;
import org.pipewright.plan.TaskGraphSvg.LegendEntry;
import org.w3c.dom.Element;

/** Any boxes draw as the plan's graph did: placed by depth, escaped, linked when asked. */
class TaskGraphSvgTests {

  @TempDir Path root;

  static final List<LegendEntry> LEGEND = List.of(new LegendEntry("ok", "#ffffff"));

  @Test
  void aPlansGraphKeepsThePictureItHadBeforeBoxesWereGeneric() {
    // Positions, fills and texts as drawn before the generic render, read off its output.
    Workdir dir = new Workdir(root).built("a.1", "b.1");
    Plan plan =
        dir.plan(
            pipeline(
                task("make", originate("a.1", "b.1")),
                task("total", merge(from("make"), "total.txt")),
                task("split", split(from("total"), "*.part")),
                task("after", merge(from("split"), "after.txt")),
                following(task("report", originate("report.txt")), "total")));

    SvgDocument svg = SvgDocument.parse(TaskGraphSvg.render(plan));

    Element root = svg.one("/svg");
    assertThat(root.getAttribute("width")).isEqualTo("540");
    assertThat(root.getAttribute("height")).isEqualTo("446");
    assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 540 446");
    assertThat(svg.one("/svg/title").getTextContent()).isEqualTo("p");
    assertThat(svg.all("//g[@data-task]").stream().map(TaskGraphSvgTests::box))
        .containsExactly(
            "task up-to-date make 170,20 #a6d9a0 make / originate: 2 jobs up to date",
            "task will-run total 170,124 #f6c177 total / merge: 1 of 1 jobs to run",
            "task will-run split 50,228 #f6c177 split / split: 1 of 1 jobs to run",
            "task will-run report 290,228 #f6c177 report / originate: 1 of 1 jobs to run",
            "task deferred after 170,332 #b4d5f0 after / merge: jobs known later");
    assertThat(svg.all("//line").stream().map(TaskGraphSvgTests::line))
        .containsExactly(
            "270,74 -> 270,124 solid",
            "270,178 -> 150,228 solid",
            "270,178 -> 390,228 dashed",
            "150,282 -> 270,332 solid");
    assertThat(svg.all("//g[@class='legend']/rect").stream().map(r -> r.getAttribute("fill")))
        .containsExactly("#f6c177", "#a6d9a0", "#b4d5f0", "#dddddd", "#ffffff");
    assertThat(svg.all("//g[@class='legend']/text").stream().map(Element::getTextContent))
        .containsExactly("will run", "up to date", "deferred", "inactive", "not selected");
    assertThat(svg.all("//g[@class='legend']/rect").getFirst().getAttribute("y")).isEqualTo("422");
    assertThat(svg.all("//a")).as("a plan's graph links nowhere").isEmpty();
  }

  @Test
  void hostileTaskNamesAndCaptionsAreEscapedEverywhere() {
    String hostile = "<script>x</script>\"&'";
    String svg =
        TaskGraphSvg.render(
            "<title>&",
            List.of(
                box(hostile, List.of(), List.of(), "?task=" + hostile),
                box("next", List.of(hostile), List.of(), null)),
            List.of(new LegendEntry("<b>bold</b>", "\"red\"")));

    assertThat(svg).doesNotContain("<script>").doesNotContain("<b>");
    SvgDocument doc = SvgDocument.parse(svg);
    Element box = doc.task(hostile);
    assertThat(text(box, "task-name")).isEqualTo(hostile);
    assertThat(text(box, "task-caption")).isEqualTo("caption of " + hostile);
    assertThat(doc.one("//a").getAttribute("href")).isEqualTo("?task=" + hostile);
    assertThat(doc.one("/svg/title").getTextContent()).isEqualTo("<title>&");
    assertThat(doc.one("//g[@class='legend']/text").getTextContent()).isEqualTo("<b>bold</b>");
    assertThat(doc.all("//line")).hasSize(1);
  }

  @Test
  void escapingReplacesWhatXmlForbidsEvenAsAnEntity() {
    assertThat(TaskGraphSvg.escape("a\u0001b\tc")).isEqualTo("a\uFFFDb\tc");
  }

  @Test
  void aBoxWithALinkIsWrappedInAnAnchorAndOneWithoutIsNot() {
    SvgDocument doc =
        SvgDocument.parse(
            TaskGraphSvg.render(
                "p",
                List.of(
                    box("make", List.of(), List.of(), "?task=make&page=2"),
                    box("total", List.of("make"), List.of(), null)),
                LEGEND));

    Element anchor = doc.one("//a");
    assertThat(anchor.getAttribute("href")).isEqualTo("?task=make&page=2");
    assertThat(anchor.getAttribute("class")).isEqualTo("task-link");
    assertThat(child(anchor, "g").getAttribute("data-task")).isEqualTo("make");
    assertThat(doc.task("total").getParentNode().getNodeName()).isEqualTo("svg");
  }

  @Test
  void followsAreDashedAndDataFlowIsSolid() {
    SvgDocument doc =
        SvgDocument.parse(
            TaskGraphSvg.render(
                "p",
                List.of(
                    box("make", List.of(), List.of(), null),
                    box("total", List.of("make"), List.of(), null),
                    box("report", List.of(), List.of("total"), null)),
                LEGEND));

    Element flow = doc.one("//line[@class='edge']");
    Element follows = doc.one("//line[@class='edge follows']");
    assertThat(flow.hasAttribute("stroke-dasharray")).isFalse();
    assertThat(follows.getAttribute("stroke-dasharray")).isEqualTo("5,4");
    assertThat(follows.getAttribute("y2"))
        .isEqualTo(child(doc.task("report"), "rect").getAttribute("y"));
  }

  @Test
  void edgesFromTasksThatAreNotDrawnAreLeftOut() {
    SvgDocument doc =
        SvgDocument.parse(
            TaskGraphSvg.render(
                "p", List.of(box("total", List.of("elsewhere"), List.of("gone"), null)), LEGEND));

    assertThat(doc.all("//line")).isEmpty();
    assertThat(child(doc.task("total"), "rect").getAttribute("y")).isEqualTo("20");
  }

  @Test
  void aLongNameIsCutInTheBoxAndKeptWholeInItsTooltipAndData() {
    String name = "a_task_whose_name_is_far_too_long_for_its_box";
    SvgDocument doc =
        SvgDocument.parse(
            TaskGraphSvg.render("p", List.of(box(name, List.of(), List.of(), null)), LEGEND));

    Element box = doc.task(name);
    assertThat(text(box, "task-name")).hasSize(24).endsWith("\u2026").startsWith("a_task_whose");
    assertThat(child(box, "title").getTextContent()).isEqualTo(name);
  }

  @Test
  void aLongCaptionIsSqueezedIntoItsBox() {
    Box longCaption =
        new Box(
            "t",
            List.of(),
            List.of(),
            "x",
            "#fff",
            "subdivide: 81234/100000 done, 1234 failed",
            null);

    SvgDocument doc = SvgDocument.parse(TaskGraphSvg.render("p", List.of(longCaption), LEGEND));

    assertThat(doc.one("//text[@class='task-caption']").getAttribute("textLength"))
        .isEqualTo("190");
  }

  @Test
  void aLegendWiderThanTheGraphWrapsIntoRowsAndTheGraphGrowsToHoldThem() {
    List<LegendEntry> eight =
        List.of("a", "b", "c", "d", "e", "f", "g", "h").stream()
            .map(label -> new LegendEntry(label, "#ffffff"))
            .toList();
    List<Box> one = List.of(box("t", List.of(), List.of(), null));

    SvgDocument five = SvgDocument.parse(TaskGraphSvg.render("p", one, eight.subList(0, 5)));
    SvgDocument doc = SvgDocument.parse(TaskGraphSvg.render("p", one, eight));

    assertThat(doc.one("/svg").getAttribute("width")).isEqualTo("540");
    assertThat(
            doc.all("//g[@class='legend']/rect").stream().map(r -> r.getAttribute("y")).distinct())
        .hasSize(2);
    int height = Integer.parseInt(doc.one("/svg").getAttribute("height"));
    int oneRow = Integer.parseInt(five.one("/svg").getAttribute("height"));
    assertThat(height).isEqualTo(oneRow + 20);
  }

  @Test
  void twoBoxesForOneTaskAreRefused() {
    List<Box> twice =
        List.of(box("t", List.of(), List.of(), null), box("t", List.of(), List.of(), null));

    assertThatThrownBy(() -> TaskGraphSvg.render("p", twice, LEGEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'t'");
  }

  private static Box box(
      String task, List<String> upstream, List<String> follows, @Nullable String link) {
    return new Box(task, upstream, follows, "waiting", "#ffffff", "caption of " + task, link);
  }

  private static String box(Element g) {
    Element rect = child(g, "rect");
    return g.getAttribute("class")
        + " "
        + g.getAttribute("data-task")
        + " "
        + rect.getAttribute("x")
        + ","
        + rect.getAttribute("y")
        + " "
        + rect.getAttribute("fill")
        + " "
        + text(g, "task-name")
        + " / "
        + text(g, "task-caption");
  }

  private static String line(Element line) {
    return line.getAttribute("x1")
        + ","
        + line.getAttribute("y1")
        + " -> "
        + line.getAttribute("x2")
        + ","
        + line.getAttribute("y2")
        + (line.hasAttribute("stroke-dasharray") ? " dashed" : " solid");
  }
}
