package org.pipewright.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.Read.Located;
import org.pipewright.plan.NameFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads the body of a task's kind key ({@code transform: {...}}) into its {@link TaskSpec}. */
final class SpecBinder {

  static final List<String> KINDS =
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
          "combinations_with_replacement",
          "parallel");

  private static final List<String> FILTERED =
      List.of("input", "filter", "output", "extras", "add_inputs", "replace_inputs");
  private static final List<String> COMBINATORIC =
      List.of("input", "filter", "r", "output", "extras", "add_inputs", "replace_inputs");
  private static final int MAX_R = 10;

  /**
   * @param spec the task kind with its parameters, or {@code null} when it has errors
   * @param templates checks templates against the task's filter; {@code null} for kinds without
   *     one, or when the filter did not compile
   * @param literalOutputs the outputs of each job that are names rather than templates or globs
   */
  record Bound(
      @Nullable TaskSpec spec,
      @Nullable TemplateCheck templates,
      List<List<Located>> literalOutputs) {}

  private final Errors errors;
  private final DefinitionLimits limits;
  private final InputsBinder inputs;

  SpecBinder(Errors errors, Set<String> taskNames, DefinitionLimits limits) {
    this.errors = errors;
    this.limits = limits;
    this.inputs = new InputsBinder(errors, taskNames);
  }

  /**
   * The spec, with a {@code null} spec when it has errors (all of them recorded) but its template
   * check kept for the task's other templates; {@code null} when nothing could be read.
   */
  @Nullable Bound bind(String kind, JsonNode body, String path) {
    int before = errors.count();
    Bound bound =
        switch (kind) {
          case "originate" -> originate(body, path);
          case "files" -> files(body, path);
          case "transform", "subdivide", "collate" -> filtered(kind, body, path);
          case "merge", "split" -> oneJob(kind, body, path);
          case "product" -> product(body, path);
          case "parallel" -> parallel(body, path);
          default -> combinatoric(kind, body, path);
        };
    if (bound == null || errors.count() == before) {
      return bound;
    }
    return new Bound(null, bound.templates(), bound.literalOutputs());
  }

  private @Nullable Bound originate(JsonNode body, String path) {
    ObjectNode map = Read.mapping(body, path, "{output, extras}", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(map, path, List.of("output", "extras"), errors);
    List<List<Located>> jobs =
        inputs.jobOutputs(map.get("output"), Errors.field(path, "output"), limits);
    List<Located> extras = extras(map, path);
    var spec =
        new TaskSpec.Originate(jobs.stream().map(Read::values).toList(), Read.values(extras));
    return new Bound(spec, null, jobs);
  }

  private @Nullable Bound files(JsonNode body, String path) {
    List<TaskSpec.FileJob> jobs = new ArrayList<>();
    List<List<Located>> outputs = new ArrayList<>();
    if (body.isArray()) {
      if (body.isEmpty() || body.size() > limits.maxJobsPerExplicitList()) {
        errors.add(
            path,
            "must list from 1 to " + limits.maxJobsPerExplicitList() + " jobs",
            !body.isEmpty());
      }
      for (int i = 0; i < body.size() && i < limits.maxJobsPerExplicitList(); i++) {
        fileJob(body.get(i), Errors.index(path, i), jobs, outputs);
      }
    } else {
      fileJob(body, path, jobs, outputs);
    }
    return new Bound(new TaskSpec.Files(jobs), null, outputs);
  }

  private void fileJob(
      JsonNode node, String path, List<TaskSpec.FileJob> jobs, List<List<Located>> outputs) {
    ObjectNode map = Read.mapping(node, path, "{input, output, extras} or a list of them", errors);
    if (map == null) {
      return;
    }
    Read.allowOnly(map, path, List.of("input", "output", "extras"), errors);
    var input = inputs.refs(map.get("input"), Errors.field(path, "input"), false);
    List<Located> output = inputs.outputs(map.get("output"), Errors.field(path, "output"));
    jobs.add(new TaskSpec.FileJob(input, Read.values(output), Read.values(extras(map, path))));
    outputs.add(output);
  }

  private @Nullable Bound filtered(String kind, JsonNode body, String path) {
    ObjectNode map = Read.mapping(body, path, "{input, filter, output, ...}", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(map, path, FILTERED, errors);
    var input = inputs.refs(map.get("input"), Errors.field(path, "input"), true);
    var filter = FilterBinder.bind(map.get("filter"), Errors.field(path, "filter"), false, errors);
    List<Located> output = inputs.outputs(map.get("output"), Errors.field(path, "output"));
    List<Located> extras = extras(map, path);
    InputsBinder.Modifier modifier = inputs.modifier(map, path);
    if (filter == null) {
      return null;
    }
    TemplateCheck templates = filter.compiled() == null ? null : filter.compiled()::checkTemplate;
    checkTemplates(templates, output, extras, modifier);
    List<String> out = Read.values(output);
    List<String> ext = Read.values(extras);
    TaskSpec spec =
        switch (kind) {
          case "transform" ->
              new TaskSpec.Transform(input, filter.filter(), out, ext, modifier.spec());
          case "subdivide" ->
              new TaskSpec.Subdivide(input, filter.filter(), out, ext, modifier.spec());
          default -> new TaskSpec.Collate(input, filter.filter(), out, ext, modifier.spec());
        };
    return new Bound(spec, templates, List.of());
  }

  private @Nullable Bound oneJob(String kind, JsonNode body, String path) {
    ObjectNode map = Read.mapping(body, path, "{input, output, extras}", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(map, path, List.of("input", "output", "extras"), errors);
    var input = inputs.refs(map.get("input"), Errors.field(path, "input"), true);
    List<Located> output = inputs.outputs(map.get("output"), Errors.field(path, "output"));
    List<String> extras = Read.values(extras(map, path));
    TaskSpec spec =
        kind.equals("merge")
            ? new TaskSpec.Merge(input, Read.values(output), extras)
            : new TaskSpec.Split(input, Read.values(output), extras);
    return new Bound(spec, null, List.of(output));
  }

  private @Nullable Bound product(JsonNode body, String path) {
    ObjectNode map = Read.mapping(body, path, "{inputs, output, ...}", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(
        map, path, List.of("inputs", "output", "extras", "add_inputs", "replace_inputs"), errors);
    String setsPath = Errors.field(path, "inputs");
    JsonNode setsNode = map.get("inputs");
    List<TaskSpec.InputSet> sets = new ArrayList<>();
    List<NameFilter> compiled = new ArrayList<>();
    if (setsNode == null || !setsNode.isArray() || setsNode.isEmpty()) {
      errors.add(setsPath, "must be a non-empty list of {input, filter: {formatter: ...}}");
    } else {
      for (int i = 0; i < setsNode.size(); i++) {
        inputSet(setsNode.get(i), Errors.index(setsPath, i), sets, compiled);
      }
    }
    List<Located> output = inputs.outputs(map.get("output"), Errors.field(path, "output"));
    List<Located> extras = extras(map, path);
    InputsBinder.Modifier modifier = inputs.modifier(map, path);
    if (sets.size() != compiled.size() || compiled.isEmpty()) {
      return null;
    }
    TemplateCheck templates = new TupleTemplates(compiled, "input sets");
    checkTemplates(templates, output, extras, modifier);
    var spec =
        new TaskSpec.Product(sets, Read.values(output), Read.values(extras), modifier.spec());
    return new Bound(spec, templates, List.of());
  }

  private void inputSet(
      JsonNode node, String path, List<TaskSpec.InputSet> sets, List<NameFilter> compiled) {
    ObjectNode map = Read.mapping(node, path, "{input, filter: {formatter: ...}}", errors);
    if (map == null) {
      return;
    }
    Read.allowOnly(map, path, List.of("input", "filter"), errors);
    var input = inputs.refs(map.get("input"), Errors.field(path, "input"), true);
    var filter = FilterBinder.bind(map.get("filter"), Errors.field(path, "filter"), true, errors);
    if (filter != null && filter.compiled() != null) {
      sets.add(new TaskSpec.InputSet(input, (FileFilter.Formatter) filter.filter()));
      compiled.add(filter.compiled());
    }
  }

  private @Nullable Bound combinatoric(String kind, JsonNode body, String path) {
    ObjectNode map = Read.mapping(body, path, "{input, filter, r, output, ...}", errors);
    if (map == null) {
      return null;
    }
    Read.allowOnly(map, path, COMBINATORIC, errors);
    var input = inputs.refs(map.get("input"), Errors.field(path, "input"), true);
    var filter = FilterBinder.bind(map.get("filter"), Errors.field(path, "filter"), true, errors);
    JsonNode rNode = map.get("r");
    Integer r = null;
    if (Read.isAbsent(rNode)) {
      errors.add(Errors.field(path, "r"), "is required: how many items each job takes");
    } else {
      r = Read.integer(rNode, Errors.field(path, "r"), 1, MAX_R, errors);
    }
    List<Located> output = inputs.outputs(map.get("output"), Errors.field(path, "output"));
    List<Located> extras = extras(map, path);
    InputsBinder.Modifier modifier = inputs.modifier(map, path);
    if (filter == null || filter.compiled() == null || r == null) {
      return null;
    }
    TemplateCheck templates =
        new TupleTemplates(Collections.nCopies(r, filter.compiled()), "items of each job");
    checkTemplates(templates, output, extras, modifier);
    TaskSpec.Combinatorics variant =
        switch (kind) {
          case "permutations" -> TaskSpec.Combinatorics.PERMUTATIONS;
          case "combinations" -> TaskSpec.Combinatorics.COMBINATIONS;
          default -> TaskSpec.Combinatorics.COMBINATIONS_WITH_REPLACEMENT;
        };
    var spec =
        new TaskSpec.Combinatoric(
            variant,
            input,
            (FileFilter.Formatter) filter.filter(),
            r,
            Read.values(output),
            Read.values(extras),
            modifier.spec());
    return new Bound(spec, templates, List.of());
  }

  private @Nullable Bound parallel(JsonNode body, String path) {
    if (!body.isArray() || body.isEmpty() || body.size() > limits.maxJobsPerExplicitList()) {
      errors.add(
          path,
          "must be a list of 1 to "
              + limits.maxJobsPerExplicitList()
              + " parameter lists, such as [[job1, a, b], [job2, c, d]]",
          body.size() > limits.maxJobsPerExplicitList());
      return null;
    }
    List<List<String>> jobs = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      JsonNode job = body.get(i);
      String at = Errors.index(path, i);
      if (!job.isArray()) {
        errors.add(at, "must be a list of parameters, not " + Read.typeOf(job));
        continue;
      }
      jobs.add(Read.values(Read.strings(job, at, true, errors)));
    }
    return new Bound(new TaskSpec.Parallel(jobs), null, List.of());
  }

  private List<Located> extras(ObjectNode map, String path) {
    return Read.strings(map.get("extras"), Errors.field(path, "extras"), true, errors);
  }

  private void checkTemplates(
      @Nullable TemplateCheck templates,
      List<Located> output,
      List<Located> extras,
      InputsBinder.Modifier modifier) {
    if (templates != null) {
      templates.checkAll(output, errors);
      templates.checkAll(extras, errors);
      templates.checkAll(modifier.templates(), errors);
    }
  }
}
