package org.pipewright.pipeline;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pipewright.plan.InvalidTemplateException;
import org.pipewright.plan.NameFilter;

/**
 * Template checks for product and the combinatorics, whose jobs take one item per input set (or
 * {@code r} items of one set): a key takes the item's index first, as in {@code {basename[1][0]}}.
 * Each placeholder is checked by the filter of the item it names, with that first index removed.
 */
final class TupleTemplates implements TemplateCheck {

  private static final Pattern KEY = Pattern.compile("([^\\[]+)\\[(\\d{1,9})](.*)");

  private final List<NameFilter> items;
  private final String itemsName;

  /**
   * @param items the filter of each item of a job, in index order
   * @param itemsName how messages call the items: "input sets" or "items per job"
   */
  TupleTemplates(List<NameFilter> items, String itemsName) {
    this.items = List.copyOf(items);
    this.itemsName = itemsName;
  }

  @Override
  public void check(String template) {
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{' && template.startsWith("{{", i) || c == '}' && template.startsWith("}}", i)) {
        i += 2;
      } else if (c == '{') {
        int end = template.indexOf('}', i);
        int nested = template.indexOf('{', i + 1);
        if (end < 0 || (nested >= 0 && nested < end)) {
          throw error(template, "single '{' at position " + i + "; write '{{' for a brace");
        }
        checkPlaceholder(template, template.substring(i + 1, end));
        i = end + 1;
      } else if (c == '}') {
        throw error(template, "single '}' at position " + i + "; write '}}' for a brace");
      } else {
        i++;
      }
    }
  }

  private void checkPlaceholder(String template, String field) {
    String shown = "{" + field + "}";
    Matcher m = KEY.matcher(field);
    if (!m.matches()) {
      throw error(template, shown + ": a key takes the item's index first, as in {basename[0][0]}");
    }
    int index = Integer.parseInt(m.group(2));
    if (index >= items.size()) {
      throw error(
          template,
          shown
              + ": index "
              + index
              + " is past the "
              + items.size()
              + " "
              + itemsName
              + " (0 to "
              + (items.size() - 1)
              + ")");
    }
    if (m.group(3).isEmpty()) {
      throw error(
          template,
          shown
              + " needs the item's index, then the file's, as in {"
              + m.group(1)
              + "["
              + index
              + "][0]}");
    }
    String single = "{" + m.group(1) + m.group(3) + "}";
    try {
      items.get(index).checkTemplate(single);
    } catch (InvalidTemplateException e) {
      String message = String.valueOf(e.getMessage());
      String prefix = "template '" + single + "': ";
      throw error(
          template,
          shown
              + " (item "
              + index
              + "): "
              + (message.startsWith(prefix) ? message.substring(prefix.length()) : message));
    }
  }

  private static InvalidTemplateException error(String template, String message) {
    return new InvalidTemplateException("template '" + template + "': " + message);
  }
}
