package org.pipewright;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A drawn SVG read back as XML, so tests assert what a browser would see (the text after entities
 * are resolved, the attributes) rather than how the markup happens to be spelled. Parsing fails on
 * markup that is not well-formed, which is what an escaping bug looks like.
 */
public final class SvgDocument {

  private final Document document;

  private SvgDocument(Document document) {
    this.document = document;
  }

  public static SvgDocument parse(String svg) {
    try {
      // Not namespace aware, so XPath can say //g instead of //svg:g.
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return new SvgDocument(
          factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg))));
    } catch (Exception e) {
      throw new AssertionError("not well-formed SVG: " + e.getMessage() + "\n" + svg, e);
    }
  }

  public List<Element> all(String xpath) {
    try {
      NodeList nodes =
          (NodeList)
              XPathFactory.newInstance()
                  .newXPath()
                  .evaluate(xpath, document, XPathConstants.NODESET);
      List<Element> elements = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        elements.add((Element) nodes.item(i));
      }
      return elements;
    } catch (Exception e) {
      throw new IllegalArgumentException(xpath, e);
    }
  }

  /** The one element the path names; fails when there are none or several. */
  public Element one(String xpath) {
    List<Element> found = all(xpath);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " elements at " + xpath);
    }
    return found.getFirst();
  }

  /** The box of a task: the group that carries its name whole. */
  public Element task(String name) {
    for (Element g : all("//g[@data-task]")) {
      if (g.getAttribute("data-task").equals(name)) {
        return g;
      }
    }
    throw new AssertionError("no box for task " + name);
  }

  /** The first child element of that name, e.g. a box's {@code rect} or {@code title}. */
  public static Element child(Element parent, String name) {
    NodeList children = parent.getElementsByTagName(name);
    if (children.getLength() == 0) {
      throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }
    return (Element) children.item(0);
  }

  /** The text of the element under {@code parent} with that class, entities resolved. */
  public static String text(Element parent, String cssClass) {
    NodeList all = parent.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (e.getAttribute("class").equals(cssClass)) {
        return e.getTextContent();
      }
    }
    throw new AssertionError("no ." + cssClass + " in <" + parent.getTagName() + ">");
  }
}
