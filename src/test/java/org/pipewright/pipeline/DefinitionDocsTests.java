package org.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples of the user-facing reference parse, so the reference cannot drift. */
class DefinitionDocsTests {

  private static final Path REFERENCE = Path.of("docs/pipeline-definitions.md");

  @Test
  void everyYamlExampleOfTheReferenceIsValid() throws IOException {
    List<String> examples = yamlBlocks(Files.readString(REFERENCE));

    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    for (String example : examples) {
      String document = example.startsWith("name:") ? example : "name: docs\n" + example;
      assertThat(Definitions.parse(document).definition().tasks()).isNotEmpty();
    }
  }

  @Test
  void theKindsExampleShowsEveryKind() throws IOException {
    String kinds = yamlBlocks(Files.readString(REFERENCE)).get(1);

    List<String> shown =
        Definitions.parse("name: docs\n" + kinds).definition().tasks().stream()
            .map(TaskDefinition::kind)
            .toList();

    assertThat(shown)
        .containsAll(
            List.of(
                "originate",
                "files",
                "transform",
                "merge",
                "split",
                "subdivide",
                "collate",
                "product",
                "permutations",
                "combinations",
                "parallel"));
  }

  private static List<String> yamlBlocks(String markdown) {
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }
}
