package org.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.pipeline.Definitions.assertError;
import static org.pipewright.pipeline.Definitions.assertRefused;
import static org.pipewright.pipeline.Definitions.errors;
import static org.pipewright.pipeline.Definitions.oneTask;
import static org.pipewright.pipeline.Definitions.refusal;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pipewright.FieldError;

/** Each rule a definition must follow, with the path and message of the error that breaks it. */
class DefinitionValidationTests {

  @Test
  void refusesACycleAndNamesIt() {
    InvalidDefinitionException e =
        refusal(
            """
            name: loop
            tasks:
              - name: a
                merge: {input: b, output: a.txt}
                touch: true
              - name: b
                transform: {input: a, filter: {suffix: .txt}, output: .b}
                touch: true
            """);

    assertThat(e.fieldErrors()).containsExactly(new FieldError("tasks[0]", "cycle: a -> b -> a"));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.type()).isEqualTo("invalid-definition");
  }

  @Test
  void refusesACycleThroughFollows() {
    assertRefused(
        """
        name: loop
        tasks:
          - name: a
            originate: {output: a.txt}
            touch: true
            follows: c
          - name: b
            merge: {input: a, output: b.txt}
            touch: true
          - name: c
            merge: {input: b, output: c.txt}
            touch: true
        """,
        "tasks[0]",
        "cycle: a -> c -> b -> a");
  }

  @Test
  void refusesATaskThatDependsOnItself() {
    assertRefused(
        oneTask(
            """
            name: self
            merge: {input: self, output: x.txt}
            touch: true
            """),
        "tasks[0]",
        "cycle: self -> self");
  }

  @Test
  void refusesFollowingAnUnknownTask() {
    assertRefused(
        """
        name: p
        tasks:
          - name: prepare
            originate: {output: a.txt}
            touch: true
          - name: run
            merge: {input: prepare, output: b.txt}
            touch: true
            follows: [prepare, prepar]
        """,
        "tasks[1].follows[1]",
        "unknown task 'prepar'",
        "did you mean 'prepare'?",
        "tasks are: prepare, run");
  }

  @Test
  void refusesDuplicateTaskNames() {
    assertRefused(
        """
        name: p
        tasks:
          - name: twice
            originate: {output: a.txt}
            touch: true
          - name: twice
            originate: {output: b.txt}
            touch: true
        """,
        "tasks[1].name",
        "duplicate task name 'twice' (also tasks[0])");
  }

  @Test
  void refusesTwoTasksWritingTheSameLiteralOutput() {
    List<FieldError> errors =
        errors(
            """
            name: p
            tasks:
              - name: one
                originate: {output: [a.txt, [b.txt, ./out/c.txt]]}
                touch: true
              - name: two
                files: [{output: b.txt}, {output: out//c.txt}]
                touch: true
              - name: three
                merge: {input: one, output: a.txt}
                touch: true
            """);

    assertError(errors, "tasks[1].files[0].output", "'b.txt' is also written by task 'one'");
    assertError(errors, "tasks[1].files[1].output", "'out//c.txt' is also written by task 'one'");
    assertError(errors, "tasks[2].merge.output", "'a.txt' is also written by task 'one'");
    assertThat(errors).hasSize(3);
  }

  @Test
  void refusesTwoJobsOfOneTaskWritingTheSameOutput() {
    assertRefused(
        oneTask(
            """
            name: o
            originate: {output: [a.txt, a.txt]}
            touch: true
            """),
        "tasks[0].originate.output[1]",
        "'a.txt' is also written by another job of this task");
  }

  @Test
  void acceptsTheSameOutputFromAnInactiveTaskOrAsAGlob() {
    Definitions.parse(
        """
        name: p
        tasks:
          - name: one
            split: {input: in.txt, output: "chunk.*"}
            touch: true
          - name: two
            split: {input: in.txt, output: "chunk.*"}
            touch: true
          - name: three
            originate: {output: a.txt}
            touch: true
          - name: four
            originate: {output: a.txt}
            touch: true
            active_if: false
        """);
  }

  @Test
  void refusesAnInvalidRegex() {
    assertRefused(
        oneTask(
            """
            name: t
            transform: {input: "*.txt", filter: {regex: "(unclosed"}, output: '\\1.out'}
            touch: true
            """),
        "tasks[0].transform.filter.regex",
        "'(unclosed' does not compile");
  }

  @Test
  void refusesAnInvalidFormatterRegexAndNamesWhichOne() {
    assertRefused(
        oneTask(
            """
            name: t
            transform: {input: "*.txt", filter: {formatter: [".*", "[a-"]}, output: "{basename[0]}.out"}
            touch: true
            """),
        "tasks[0].transform.filter.formatter[1]",
        "'[a-' does not compile");
  }

  @Test
  void refusesATemplateNamingANumberedGroupTheRegexLacks() {
    assertRefused(
        oneTask(
            """
            name: t
            transform: {input: "*.txt", filter: {regex: '(.+)\\.(txt)'}, output: '\\3.out'}
            touch: true
            """),
        "tasks[0].transform.output",
        "template '\\3.out'",
        "group reference 3");
  }

  @Test
  void refusesATemplateNamingANamedGroupTheRegexLacks() {
    assertRefused(
        oneTask(
            """
            name: t
            collate: {input: "*.txt", filter: {regex: '(?P<stem>.+)\\.txt'}, output: ['\\g<stem>.all', '\\g<x>.all']}
            touch: true
            """),
        "tasks[0].collate.output[1]",
        "unknown group name 'x'");
  }

  @Test
  void refusesAFormatterTemplateNamingAKeyThePatternLacks() {
    assertRefused(
        oneTask(
            """
            name: t
            transform: {input: "*.txt", filter: {formatter: '(?P<id>\\d+)'}, output: "{x[0]}.out", extras: ["{id[0]}"]}
            touch: true
            """),
        "tasks[0].transform.output",
        "{x[0]}: unknown key 'x'");
  }

  @Test
  void checksExtrasInputModifiersAndMkdirAgainstTheFilter() {
    List<FieldError> errors =
        errors(
            oneTask(
                """
                name: t
                transform: {input: "*.txt", filter: {regex: '(.+)\\.txt'}, output: '\\1.out', extras: ['\\2'], add_inputs: ['\\g<nope>.idx']}
                mkdir: ['\\1.d', '\\4.d']
                touch: true
                """));

    assertThat(errors)
        .extracting(FieldError::path)
        .containsExactly(
            "tasks[0].transform.extras[0]",
            "tasks[0].transform.add_inputs[0]",
            "tasks[0].mkdir[1]");
  }

  @Test
  void refusesAProductTemplateNamingAMissingInputSet() {
    assertRefused(
        oneTask(
            """
            name: p
            product:
              inputs: [{input: "*.a", filter: {formatter: null}}, {input: "*.b", filter: {formatter: null}}]
              output: "{basename[0][0]}-{basename[2][0]}"
            touch: true
            """),
        "tasks[0].product.output",
        "{basename[2][0]}: index 2 is past the 2 input sets");
  }

  @Test
  void refusesACombinatoricsTemplateWithoutTheItemIndex() {
    assertRefused(
        oneTask(
            """
            name: c
            combinations: {input: "*.a", filter: {formatter: null}, r: 2, output: "{basename[0]}.out"}
            touch: true
            """),
        "tasks[0].combinations.output",
        "{basename[0]} needs the item's index, then the file's");
  }

  @Test
  void refusesAbsolutePathsAndPathsLeavingTheWorkdir() {
    List<FieldError> errors =
        errors(
            """
            name: p
            workdir: ../elsewhere
            tasks:
              - name: a
                merge: {input: [/etc/passwd, "data/../../x"], output: /tmp/out}
                mkdir: [ok, ../up]
                posttask: {touch_file: /done}
                touch: true
              - name: b
                transform: {input: a, filter: {suffix: .x, output_dir: ../out}, output: .y, add_inputs: /abs}
                touch: true
            """);

    assertError(errors, "workdir", "leaves the workdir");
    assertError(errors, "tasks[0].merge.input[0]", "'/etc/passwd' is absolute");
    assertError(errors, "tasks[0].merge.input[1]", "leaves the workdir");
    assertError(errors, "tasks[0].merge.output", "'/tmp/out' is absolute");
    assertError(errors, "tasks[0].mkdir[1]", "leaves the workdir");
    assertError(errors, "tasks[0].posttask.touch_file", "'/done' is absolute");
    assertError(errors, "tasks[1].transform.filter.output_dir", "leaves the workdir");
    assertError(errors, "tasks[1].transform.add_inputs", "'/abs' is absolute");
  }

  @Test
  void refusesAnAbsoluteWorkdir() {
    assertRefused(
        """
        name: p
        workdir: /var/data
        tasks: [{name: a, originate: {output: a}, touch: true}]
        """,
        "workdir",
        "'/var/data' is absolute");
  }

  @Test
  void refusesUnknownFieldsAtEveryLevelAndListsTheAllowedOnes() {
    List<FieldError> errors =
        errors(
            """
            name: p
            version: 2
            tasks:
              - name: a
                transfrom: {}
                transform: {input: x, filter: {suffix: .a, regexp: x}, output: .b, extra: []}
                touch: true
                jobs_limit: {limit: 2, group: db}
                posttask: {touch_file: f, when: always}
            """);

    assertError(
        errors, "version", "unknown field 'version'", "allowed: name, workdir, description, tasks");
    assertError(
        errors, "tasks[0].transfrom", "did you mean 'transform'?", "allowed: name, originate");
    assertError(
        errors,
        "tasks[0].transform.extra",
        "did you mean 'extras'?",
        "allowed: input, filter, output, extras, add_inputs, replace_inputs");
    assertError(
        errors,
        "tasks[0].transform.filter.regexp",
        "allowed: suffix, output_dir, regex, formatter");
    assertError(errors, "tasks[0].jobs_limit.group", "allowed: limit, name");
    assertError(errors, "tasks[0].posttask.when", "allowed: touch_file, shell");
  }

  @Test
  void refusesAFilterOnAKindThatTakesNone() {
    assertRefused(
        oneTask(
            """
            name: m
            merge: {input: x, filter: {suffix: .a}, output: all}
            touch: true
            """),
        "tasks[0].merge.filter",
        "unknown field 'filter'; allowed: input, output, extras");
  }

  @Test
  void refusesWrongTypes() {
    List<FieldError> errors =
        errors(
            """
            name: p
            tasks:
              - name: 5
                merge: {input: 3, output: {a: b}, extras: [[x]]}
                touch: yes
                active_if: "no"
                retries: 1.5
                follows: [7]
                check_if_uptodate: sometimes
              - a plain string
            """);

    assertError(errors, "tasks[0].name", "must be a string, not a number");
    assertError(
        errors, "tasks[0].merge.input", "must be a string or a list of strings, not a number");
    assertError(
        errors, "tasks[0].merge.output", "must be a string or a list of strings, not a mapping");
    assertError(errors, "tasks[0].merge.extras[0]", "must be a string, not a list");
    assertError(errors, "tasks[0].touch", "must be true", "not 'yes'");
    assertError(errors, "tasks[0].active_if", "must be true or false, not 'no'");
    assertError(errors, "tasks[0].retries", "must be a whole number from 0 to 10, not 1.5");
    assertError(errors, "tasks[0].follows[0]", "must be a string, not a number");
    assertError(
        errors, "tasks[0].check_if_uptodate", "must be one of timestamps, outputs_exist, always");
    assertError(errors, "tasks[1]", "must be a mapping (a task), not a string");
  }

  @Test
  void refusesAnEmptyOrMissingCommand() {
    assertRefused(
        oneTask("name: a\noriginate: {output: a}\nshell: \"  \""),
        "tasks[0].shell",
        "must not be empty");
    assertRefused(
        oneTask("name: a\noriginate: {output: a}\nshell:"), "tasks[0].shell", "must not be empty");
    assertRefused(
        oneTask("name: a\noriginate: {output: a}"),
        "tasks[0]",
        "needs an action: one of shell, java, touch");
  }

  @Test
  void refusesACommandTheTemplateParserRejects() {
    assertRefused(
        oneTask("name: a\noriginate: {output: a}\nshell: \"cat {inputs}\""),
        "tasks[0].shell",
        "unknown placeholder {inputs}");
  }

  @Test
  void refusesAJavaActionThatIsNotAClassName() {
    assertRefused(
        oneTask("name: a\noriginate: {output: a}\njava: org.example..Job"),
        "tasks[0].java",
        "binary name of a class");
  }

  @Test
  void refusesATaskWithoutAKindOrWithTwo() {
    assertRefused(
        oneTask("name: a\ntouch: true"), "tasks[0]", "needs a task kind: one of originate, files");
    assertRefused(
        oneTask("name: a\noriginate: {output: a}\nmerge: {input: x, output: y}\ntouch: true"),
        "tasks[0]",
        "has 2 task kinds (originate, merge); a task has exactly one");
  }

  @Test
  void refusesTwoActions() {
    assertRefused(
        oneTask("name: a\noriginate: {output: a}\nshell: \"true\"\njava: org.example.Job"),
        "tasks[0]",
        "has 2 actions (shell, java); a task has exactly one");
  }

  @Test
  void refusesBothAddInputsAndReplaceInputs() {
    assertRefused(
        oneTask(
            """
            name: t
            transform: {input: x, filter: {suffix: .a}, output: .b, add_inputs: c, replace_inputs: d}
            touch: true
            """),
        "tasks[0].transform.replace_inputs",
        "add_inputs and replace_inputs exclude each other");
  }

  @Test
  void refusesAFilteredKindWithoutAFilterAndCombinatoricsWithoutAFormatter() {
    assertRefused(
        oneTask("name: t\ntransform: {input: x, output: .b}\ntouch: true"),
        "tasks[0].transform.filter",
        "is required");
    assertRefused(
        oneTask(
            "name: c\npermutations: {input: x, filter: {regex: a}, r: 2, output: o}\ntouch: true"),
        "tasks[0].permutations.filter.regex",
        "takes a formatter filter only");
    assertRefused(
        oneTask(
            "name: t\n"
                + "transform: {input: x, filter: {suffix: .a, regex: b}, output: .b}\n"
                + "touch: true"),
        "tasks[0].transform.filter",
        "has suffix and regex; a filter is exactly one of them");
  }

  @Test
  void refusesAnROutsideOneToTen() {
    assertRefused(
        oneTask(
            "name: c\n"
                + "combinations: {input: x, filter: {formatter: null}, r: 0, output: o}\n"
                + "touch: true"),
        "tasks[0].combinations.r",
        "must be from 1 to 10, not 0");
    assertRefused(
        oneTask(
            "name: c\ncombinations: {input: x, filter: {formatter: null}, output: o}\ntouch: true"),
        "tasks[0].combinations.r",
        "is required");
  }

  @Test
  void refusesMissingRequiredParts() {
    List<FieldError> errors =
        errors(
            """
            workdir: w
            tasks:
              - merge: {output: o}
                touch: true
            """);

    assertError(errors, "name", "is required");
    assertError(errors, "tasks[0].name", "is required");
    assertError(errors, "tasks[0].merge.input", "is required");
    assertRefused("name: p\n", "tasks", "is required");
    assertRefused("name: p\ntasks: []\n", "tasks", "must not be empty");
  }

  @Test
  void refusesMalformedNames() {
    List<FieldError> errors =
        errors(
            """
            name: -bad
            tasks: [{name: "9lives", originate: {output: a}, touch: true}]
            """);

    assertError(errors, "name", "'-bad' is not a pipeline name");
    assertError(errors, "tasks[0].name", "'9lives' is not a task name");
  }

  @Test
  void refusesASharedJobsLimitWithTwoValues() {
    assertRefused(
        """
        name: p
        tasks:
          - {name: a, originate: {output: a}, touch: true, jobs_limit: {limit: 2, name: db}}
          - {name: b, originate: {output: b}, touch: true, jobs_limit: {limit: 3, name: db}}
        """,
        "tasks[1].jobs_limit",
        "jobs limit 'db' is 2 in task 'a' but 3 here");
  }

  @Test
  void reportsEveryProblemInOnePass() {
    List<FieldError> errors =
        errors(
            """
            name: p
            tasks:
              - name: a
                merge: {input: /x, output: o}
                shell: ""
              - name: b
                originate: {output: o2}
                touch: true
                follows: zz
                retries: 11
            """);

    assertThat(errors)
        .extracting(FieldError::path)
        .containsExactly(
            "tasks[0].merge.input", "tasks[0].shell", "tasks[1].retries", "tasks[1].follows");
  }

  @Test
  void refusesCoresAndMemoryThatNoWorkerCouldBeAskedFor() {
    List<FieldError> errors =
        errors(
            """
            name: p
            tasks:
              - name: a
                originate: {output: a.txt}
                touch: true
                cpus: 0
                mem: lots
              - name: b
                merge: {input: a, output: b.txt}
                touch: true
                cpus: 2.5
                mem: 4GB
              - name: c
                merge: {input: b, output: c.txt}
                touch: true
                cpus: "4"
                mem: [4G]
              - name: d
                merge: {input: c, output: d.txt}
                touch: true
                mem: 0
            """);

    assertError(errors, "tasks[0].cpus", "must be from 1 to 4096, not 0");
    assertError(errors, "tasks[0].mem", "'lots' is not a memory size such as 512M, 4G or 1T");
    assertError(errors, "tasks[1].cpus", "must be a whole number from 1 to 4096, not 2.5");
    assertError(errors, "tasks[1].mem", "'4GB' is not a memory size");
    assertError(errors, "tasks[2].cpus", "must be a whole number from 1 to 4096, not '4'");
    assertError(errors, "tasks[2].mem", "must be a memory size such as 512M, 4G or 1T, not a list");
    assertError(errors, "tasks[3].mem", "'0' must be from 1M to 64T");
  }
}
