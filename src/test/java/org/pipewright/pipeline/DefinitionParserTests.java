package org.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.pipeline.Definitions.SHARED_LOG_DEMO;
import static org.pipewright.pipeline.Definitions.definition;
import static org.pipewright.pipeline.Definitions.onlyTask;
import static org.pipewright.pipeline.Definitions.parse;
import static org.pipewright.pipeline.Definitions.parseJson;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.InputRef.Pattern;
import org.pipewright.pipeline.InputRef.TaskOutput;
import org.pipewright.pipeline.TaskSpec.Combinatorics;

class DefinitionParserTests {

  @Test
  void readsTheSharedLogExampleIntoRecords() {
    PipelineDefinition definition = definition(SHARED_LOG_DEMO);

    assertThat(definition.name()).isEqualTo("shared-log-demo");
    assertThat(definition.workdir()).isEqualTo("shared-log-demo");
    assertThat(definition.tasks())
        .extracting(TaskDefinition::name, TaskDefinition::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("task1", "files"),
            org.assertj.core.groups.Tuple.tuple("split_up", "split"),
            org.assertj.core.groups.Tuple.tuple("count", "transform"),
            org.assertj.core.groups.Tuple.tuple("total", "merge"));
    TaskDefinition count = definition.tasks().get(2);
    assertThat(count.spec())
        .isEqualTo(
            new TaskSpec.Transform(
                List.of(new TaskOutput("split_up")),
                new FileFilter.Suffix(".txt", null),
                List.of(".count"),
                List.of(),
                null));
    assertThat(count.action()).isEqualTo(new Action.Shell("wc -l < {input} > {output}"));
    assertThat(count.jobsLimit()).isEqualTo(new JobsLimit("count", 4));
    assertThat(definition.tasks().getFirst().spec())
        .isEqualTo(
            new TaskSpec.Files(
                List.of(new TaskSpec.FileJob(List.of(), List.of("a.1"), List.of()))));
    assertThat(definition.tasks().getFirst().action())
        .isEqualTo(new Action.JavaJob("org.pipewright.examples.SharedLogJob"));
  }

  @Test
  void fillsDefaultsForWhatIsLeftOut() {
    PipelineDefinition definition =
        definition(
            """
            name: defaults
            tasks:
              - name: only
                originate: {output: a.txt}
                touch: true
            """);

    assertThat(definition.workdir()).as("workdir defaults to the name").isEqualTo("defaults");
    TaskDefinition task = definition.tasks().getFirst();
    assertThat(task.action()).isEqualTo(new Action.Touch());
    assertThat(task.active()).isTrue();
    assertThat(task.uptodate()).isEqualTo(UptodateCheck.TIMESTAMPS);
    assertThat(task.retries()).isZero();
    assertThat(task.jobsLimit()).isNull();
    assertThat(task.follows()).isEmpty();
    assertThat(task.mkdir()).isEmpty();
    assertThat(task.posttask()).isEmpty();
  }

  @Test
  void readsEveryModifier() {
    PipelineDefinition definition =
        definition(
            """
            name: modifiers
            workdir: runs/modifiers
            description: every modifier once
            tasks:
              - name: first
                originate: {output: a.txt}
                touch: true
              - name: second
                transform: {input: first, filter: {formatter: null}, output: "{path[0]}/out/{basename[0]}.b"}
                shell: "cp {input} {output}"
                follows: first
                mkdir: [out, "{path[0]}/out"]
                active_if: false
                jobs_limit: {limit: 2, name: db}
                posttask: [{touch_file: done.flag}, {shell: "echo done"}]
                check_if_uptodate: outputs_exist
                retries: 3
              - name: third
                merge: {input: [second, first], output: all.txt}
                java: org.example.Merge$Job
                follows: [first, second]
                posttask: {touch_file: merged.flag}
                check_if_uptodate: always
            """);

    assertThat(definition.workdir()).isEqualTo("runs/modifiers");
    TaskDefinition second = definition.tasks().get(1);
    assertThat(second.follows()).containsExactly("first");
    assertThat(second.mkdir()).containsExactly("out", "{path[0]}/out");
    assertThat(second.active()).isFalse();
    assertThat(second.jobsLimit()).isEqualTo(new JobsLimit("db", 2));
    assertThat(second.posttask())
        .containsExactly(new PostTask("done.flag", null), new PostTask(null, "echo done"));
    assertThat(second.uptodate()).isEqualTo(UptodateCheck.OUTPUTS_EXIST);
    assertThat(second.retries()).isEqualTo(3);
    TaskDefinition third = definition.tasks().get(2);
    assertThat(third.follows()).containsExactly("first", "second");
    assertThat(third.posttask()).containsExactly(new PostTask("merged.flag", null));
    assertThat(third.uptodate()).isEqualTo(UptodateCheck.ALWAYS);
    assertThat(third.action()).isEqualTo(new Action.JavaJob("org.example.Merge$Job"));
  }

  @Test
  void anInputNamingATaskTakesItsOutputsAndAnythingElseIsAPattern() {
    TaskSpec spec =
        definition(
                """
                name: inputs
                tasks:
                  - name: make
                    originate: {output: [a.txt, [b.txt, c.txt]]}
                    touch: true
                  - name: use
                    merge: {input: [make, "data/*.csv", make.txt], output: all}
                    touch: true
                """)
            .tasks()
            .get(1)
            .spec();

    assertThat(((TaskSpec.Merge) spec).input())
        .containsExactly(
            new TaskOutput("make"), new Pattern("data/*.csv"), new Pattern("make.txt"));
  }

  @Test
  void originateMakesOneJobPerOutputEntry() {
    TaskSpec spec =
        onlyTask(
                Definitions.oneTask(
                    """
                    name: o
                    originate: {output: [a.1, [b.1, b.2], 3], extras: [x, 4]}
                    touch: true
                    """))
            .spec();

    assertThat(spec)
        .isEqualTo(
            new TaskSpec.Originate(
                List.of(List.of("a.1"), List.of("b.1", "b.2"), List.of("3")), List.of("x", "4")));
  }

  @Test
  void filesTakesOneJobOrAListOfJobs() {
    TaskSpec one =
        onlyTask(
                Definitions.oneTask(
                    """
                    name: f
                    files: {output: a.1, extras: 7}
                    touch: true
                    """))
            .spec();
    TaskSpec many =
        onlyTask(
                Definitions.oneTask(
                    """
                    name: f
                    files:
                      - {input: in.1, output: [a.1, a.2]}
                      - {input: [in.2, in.3], output: b.1, extras: [x]}
                    touch: true
                    """))
            .spec();

    assertThat(one)
        .isEqualTo(
            new TaskSpec.Files(
                List.of(new TaskSpec.FileJob(List.of(), List.of("a.1"), List.of("7")))));
    assertThat(many)
        .isEqualTo(
            new TaskSpec.Files(
                List.of(
                    new TaskSpec.FileJob(
                        List.of(new Pattern("in.1")), List.of("a.1", "a.2"), List.of()),
                    new TaskSpec.FileJob(
                        List.of(new Pattern("in.2"), new Pattern("in.3")),
                        List.of("b.1"),
                        List.of("x")))));
  }

  @Test
  void readsTheFilteredKinds() {
    PipelineDefinition definition =
        definition(
            """
            name: filtered
            tasks:
              - name: src
                split: {input: "raw/*.txt", output: "*.txt"}
                shell: "true"
              - name: t
                transform: {input: src, filter: {suffix: .txt, output_dir: out}, output: .count, add_inputs: [lib.txt]}
                shell: "wc -l {input} > {output}"
              - name: s
                subdivide: {input: src, filter: {regex: '(.+)\\.txt'}, output: '\\1.*.part', extras: ['\\1'], replace_inputs: '\\1.idx'}
                shell: "true"
              - name: c
                collate: {input: src, filter: {regex: '(?P<stem>[a-z]+)\\d*\\.txt'}, output: '\\g<stem>.all'}
                shell: "cat {input} > {output}"
            """);

    List<TaskSpec> specs = definition.tasks().stream().map(TaskDefinition::spec).toList();
    assertThat(specs.get(1))
        .isEqualTo(
            new TaskSpec.Transform(
                List.of(new TaskOutput("src")),
                new FileFilter.Suffix(".txt", "out"),
                List.of(".count"),
                List.of(),
                new TaskSpec.InputsModifier(false, List.of("lib.txt"))));
    assertThat(specs.get(2))
        .isEqualTo(
            new TaskSpec.Subdivide(
                List.of(new TaskOutput("src")),
                new FileFilter.Regex("(.+)\\.txt"),
                List.of("\\1.*.part"),
                List.of("\\1"),
                new TaskSpec.InputsModifier(true, List.of("\\1.idx"))));
    assertThat(specs.get(3))
        .isEqualTo(
            new TaskSpec.Collate(
                List.of(new TaskOutput("src")),
                new FileFilter.Regex("(?P<stem>[a-z]+)\\d*\\.txt"),
                List.of("\\g<stem>.all"),
                List.of(),
                null));
  }

  @Test
  void readsProductAndTheCombinatorics() {
    PipelineDefinition definition =
        definition(
            """
            name: combos
            tasks:
              - name: x
                originate: {output: [a.x, b.x]}
                touch: true
              - name: y
                originate: {output: [c.y]}
                touch: true
              - name: p
                product:
                  inputs:
                    - {input: x, filter: {formatter: [".*"]}}
                    - {input: y, filter: {formatter: null}}
                  output: "{basename[0][0]}_{basename[1][0]}.out"
                touch: true
              - name: perm
                permutations: {input: x, filter: {formatter: []}, r: 2, output: "{basename[0][0]}-{basename[1][0]}"}
                touch: true
              - name: comb
                combinations: {input: x, filter: {formatter: '(?P<id>\\w)\\.x'}, r: 2, output: "{id[0][0]}{id[1][0]}.c"}
                touch: true
              - name: cwr
                combinations_with_replacement: {input: x, filter: {formatter: null}, r: 1, output: "{basename[0][0]}.w", extras: [k]}
                touch: true
            """);

    List<TaskSpec> specs = definition.tasks().stream().map(TaskDefinition::spec).toList();
    assertThat(specs.get(2))
        .isEqualTo(
            new TaskSpec.Product(
                List.of(
                    new TaskSpec.InputSet(
                        List.of(new TaskOutput("x")), new FileFilter.Formatter(List.of(".*"))),
                    new TaskSpec.InputSet(
                        List.of(new TaskOutput("y")), new FileFilter.Formatter(List.of()))),
                List.of("{basename[0][0]}_{basename[1][0]}.out"),
                List.of(),
                null));
    assertThat(specs.get(3))
        .isEqualTo(
            new TaskSpec.Combinatoric(
                Combinatorics.PERMUTATIONS,
                List.of(new TaskOutput("x")),
                new FileFilter.Formatter(List.of()),
                2,
                List.of("{basename[0][0]}-{basename[1][0]}"),
                List.of(),
                null));
    assertThat(specs.get(4).kind()).isEqualTo("combinations");
    assertThat(((TaskSpec.Combinatoric) specs.get(4)).filter().patterns())
        .containsExactly("(?P<id>\\w)\\.x");
    assertThat(specs.get(5).kind()).isEqualTo("combinations_with_replacement");
    assertThat(((TaskSpec.Combinatoric) specs.get(5)).extras()).containsExactly("k");
  }

  @Test
  void aFormatterListMayLeaveFilesOpenWithNull() {
    TaskSpec spec =
        onlyTask(
                Definitions.oneTask(
                    """
                    name: t
                    transform: {input: "*.txt", filter: {formatter: [null, '(?P<n>\\d+)']}, output: "{n[1]}.out"}
                    touch: true
                    """))
            .spec();

    assertThat(((TaskSpec.Transform) spec).filter())
        .isEqualTo(new FileFilter.Formatter(Arrays.asList(null, "(?P<n>\\d+)")));
  }

  @Test
  void parallelTurnsScalarParametersIntoStrings() {
    TaskSpec spec =
        onlyTask(
                Definitions.oneTask(
                    """
                    name: par
                    parallel: [[job1, a, 1], [job2, 2.50, true]]
                    java: org.example.Par
                    """))
            .spec();

    assertThat(spec)
        .isEqualTo(
            new TaskSpec.Parallel(
                List.of(List.of("job1", "a", "1"), List.of("job2", "2.50", "true"))));
  }

  @Test
  void yamlAndJsonOfTheSameDefinitionGiveEqualRecordsAndDigests() {
    String json =
        """
        {"tasks": [
          {"name": "task1", "files": {"input": null, "output": "a.1"},
           "java": "org.pipewright.examples.SharedLogJob"},
          {"name": "split_up", "split": {"input": "task1", "output": "chunk.*.txt"},
           "shell": "split -l 10 {input} chunk. && for f in chunk.??; do mv $f $f.txt; done"},
          {"name": "count", "jobs_limit": 4, "shell": "wc -l < {input} > {output}",
           "transform": {"output": ".count", "input": "split_up", "filter": {"suffix": ".txt"}}},
          {"name": "total", "merge": {"input": "count", "output": "total.txt"},
           "shell": "awk '{{s += $1}} END {{print s}}' {input} > {output}"}
         ],
         "workdir": "shared-log-demo", "name": "shared-log-demo"}
        """;

    ParsedDefinition fromYaml = parse(SHARED_LOG_DEMO);
    ParsedDefinition fromJson = parseJson(json);

    assertThat(fromJson.definition()).isEqualTo(fromYaml.definition());
    assertThat(fromJson.canonicalJson()).isEqualTo(fromYaml.canonicalJson());
    assertThat(fromJson.digest()).isEqualTo(fromYaml.digest()).hasSize(64).matches("[0-9a-f]+");
  }

  @Test
  void commentsWhitespaceAndKeyOrderDoNotChangeTheDigest() {
    String reordered =
        """
        # the same pipeline, written differently
        tasks:
          - files:
              output: a.1
              input: ~
            name: task1
            java: org.pipewright.examples.SharedLogJob   # a Job class
          - {shell: "split -l 10 {input} chunk. && for f in chunk.??; do mv $f $f.txt; done", name: split_up, split: {output: "chunk.*.txt", input: task1}}
          - name: count
            jobs_limit: 4
            transform:
              output: .count
              filter: {suffix: .txt}
              input: split_up
            shell: 'wc -l < {input} > {output}'

          - name: total
            shell: "awk '{{s += $1}} END {{print s}}' {input} > {output}"
            merge: {output: total.txt, input: count}
        workdir: shared-log-demo
        name: shared-log-demo
        """;

    assertThat(parse(reordered).canonicalJson()).isEqualTo(parse(SHARED_LOG_DEMO).canonicalJson());
    assertThat(parse(reordered).digest()).isEqualTo(parse(SHARED_LOG_DEMO).digest());
  }

  @Test
  void aChangedCommandChangesTheDigest() {
    String changed = SHARED_LOG_DEMO.replace("wc -l < {input}", "wc -w < {input}");

    assertThat(parse(changed).digest()).isNotEqualTo(parse(SHARED_LOG_DEMO).digest());
  }

  @Test
  void theCanonicalJsonParsesBackToTheSameDefinitionAndDigest() {
    ParsedDefinition first = parse(SHARED_LOG_DEMO);

    ParsedDefinition again = parseJson(first.canonicalJson());

    assertThat(again.definition()).isEqualTo(first.definition());
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(first.canonicalJson()).startsWith("{\"name\":\"shared-log-demo\",\"tasks\":[");
  }

  @Test
  void numbersKeepTheirWrittenDigitsWhenTheyAreNames() {
    TaskSpec spec =
        onlyTask(
                Definitions.oneTask(
                    """
                    name: n
                    originate: {output: [1.10, 2, 3.0]}
                    touch: true
                    """))
            .spec();

    assertThat(((TaskSpec.Originate) spec).outputs())
        .containsExactly(List.of("1.10"), List.of("2"), List.of("3.0"));
  }

  @Test
  void yamlAnchorsAndAliasesAreExpanded() {
    PipelineDefinition definition =
        definition(
            """
            name: anchors
            tasks:
              - name: a
                originate: {output: a.txt, extras: &shared [x, y]}
                touch: true
              - name: b
                merge: {input: a, output: b.txt, extras: *shared}
                touch: true
            """);

    assertThat(((TaskSpec.Merge) definition.tasks().get(1).spec()).extras())
        .containsExactly("x", "y");
  }

  @Test
  void aTaskMayAskForCoresAndMemoryInSlurmsUnits() {
    List<TaskDefinition> tasks =
        definition(
                """
                name: sized
                tasks:
                  - name: big
                    originate: {output: a.txt}
                    touch: true
                    cpus: 4
                    mem: 8G
                  - name: small
                    merge: {input: big, output: b.txt}
                    touch: true
                    mem: 512
                  - name: any
                    merge: {input: small, output: c.txt}
                    touch: true
                """)
            .tasks();

    assertThat(tasks)
        .extracting(TaskDefinition::resources)
        .containsExactly(new Resources(4, 8192), new Resources(0, 512), Resources.NONE);
  }

  @Test
  void memorySizesReadAsSbatchReadsThem() {
    assertThat(Resources.parseMemory("1T")).isEqualTo(1024 * 1024);
    assertThat(Resources.parseMemory("2g")).isEqualTo(2048);
    assertThat(Resources.parseMemory("300M")).isEqualTo(300);
    assertThat(Resources.parseMemory("300")).isEqualTo(300);
    assertThat(Resources.parseMemory("1500K")).isEqualTo(2);
  }
}
