package org.pipewright.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.pipewright.pipeline.FileFilter;
import org.pipewright.pipeline.InputRef;
import org.pipewright.pipeline.TaskSpec;
import org.pipewright.pipeline.TaskSpec.InputsModifier;

/**
 * Turns one task's spec into jobs, given the items its inputs resolve to: Ruffus's parameter
 * generators ({@code file_name_parameters.py}), one case per task kind.
 */
final class JobExpander {

  private final Function<List<InputRef>, List<Item>> resolve;
  private final int maxJobs;

  /**
   * @param resolve turns a task's input list into items (upstream outputs, globs on disk)
   * @param maxJobs refuse product or combinatoric tasks that would exceed this many jobs
   */
  JobExpander(Function<List<InputRef>, List<Item>> resolve, int maxJobs) {
    this.resolve = resolve;
    this.maxJobs = maxJobs;
  }

  List<JobDraft> expand(TaskSpec spec) {
    return switch (spec) {
      case TaskSpec.Originate o -> originate(o);
      case TaskSpec.Files f -> files(f);
      case TaskSpec.Transform t ->
          perItem(t.input(), t.filter(), t.output(), t.extras(), t.inputs(), false);
      case TaskSpec.Subdivide s ->
          perItem(s.input(), s.filter(), s.output(), s.extras(), s.inputs(), true);
      case TaskSpec.Merge m ->
          List.of(JobDraft.of(resolve.apply(m.input()), m.output(), m.extras(), false));
      case TaskSpec.Split s ->
          List.of(JobDraft.of(resolve.apply(s.input()), s.output(), s.extras(), true));
      case TaskSpec.Collate c -> collate(c);
      case TaskSpec.Product p -> product(p);
      case TaskSpec.Combinatoric c -> combinatoric(c);
      case TaskSpec.Parallel p -> parallel(p);
    };
  }

  private static List<JobDraft> originate(TaskSpec.Originate spec) {
    List<JobDraft> jobs = new ArrayList<>(spec.outputs().size());
    for (List<String> outputs : spec.outputs()) {
      jobs.add(new JobDraft(List.of(), outputs, spec.extras(), new int[0], false));
    }
    return jobs;
  }

  private List<JobDraft> files(TaskSpec.Files spec) {
    List<JobDraft> jobs = new ArrayList<>(spec.jobs().size());
    for (TaskSpec.FileJob job : spec.jobs()) {
      jobs.add(JobDraft.of(resolve.apply(job.input()), job.output(), job.extras(), false));
    }
    return jobs;
  }

  private static List<JobDraft> parallel(TaskSpec.Parallel spec) {
    List<JobDraft> jobs = new ArrayList<>(spec.jobs().size());
    for (List<String> params : spec.jobs()) {
      jobs.add(new JobDraft(List.of(), List.of(), params, new int[0], false));
    }
    return jobs;
  }

  /** Transform and subdivide: one job per item the filter matches. */
  private List<JobDraft> perItem(
      List<InputRef> input,
      FileFilter filter,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier modifier,
      boolean globOutputs) {
    NameFilter compiled = NameFilter.compile(filter);
    List<Item> items = resolve.apply(input);
    List<JobDraft> jobs = new ArrayList<>(items.size());
    for (Item item : items) {
      NameMatch match = compiled.match(item.files()).orElse(null);
      if (match != null) {
        jobs.add(
            JobDraft.of(
                    List.of(item),
                    added(match, modifier),
                    replaces(modifier),
                    substitute(match, output),
                    substituteExtras(match, extras),
                    globOutputs)
                .matched(match));
      }
    }
    return jobs;
  }

  /**
   * Items whose substituted outputs and extras are equal form one job, in the order first seen, as
   * Ruffus groups them. Items with equal outputs but different extras make two jobs writing one
   * file, which the plan refuses rather than silently dropping the second item's extras.
   */
  private List<JobDraft> collate(TaskSpec.Collate spec) {
    NameFilter compiled = NameFilter.compile(spec.filter());
    Map<List<List<String>>, List<Item>> groups = new LinkedHashMap<>();
    Map<List<List<String>>, NameMatch> firstMatch = new LinkedHashMap<>();
    for (Item item : resolve.apply(spec.input())) {
      NameMatch match = compiled.match(item.files()).orElse(null);
      if (match != null) {
        var key = List.of(substitute(match, spec.output()), substituteExtras(match, spec.extras()));
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
        firstMatch.putIfAbsent(key, match);
      }
    }
    List<JobDraft> jobs = new ArrayList<>(groups.size());
    groups.forEach((key, items) -> {
      NameMatch match = firstMatch.get(key);
      jobs.add(
          JobDraft.of(
                  items,
                  added(match, spec.inputs()),
                  replaces(spec.inputs()),
                  key.get(0),
                  key.get(1),
                  false)
              .matched(match));
    });
    return jobs;
  }

  private List<JobDraft> product(TaskSpec.Product spec) {
    List<List<Matched>> sets = new ArrayList<>();
    for (TaskSpec.InputSet set : spec.sets()) {
      sets.add(matched(set.input(), set.filter()));
    }
    return tuples(
        Combinations.product(sizes(sets), maxJobs),
        sets,
        spec.output(),
        spec.extras(),
        spec.inputs());
  }

  private List<JobDraft> combinatoric(TaskSpec.Combinatoric spec) {
    List<Matched> items = matched(spec.input(), spec.filter());
    int[][] tuples = Combinations.of(spec.variant(), items.size(), spec.r(), maxJobs);
    List<List<Matched>> sets = new ArrayList<>();
    for (int i = 0; i < spec.r(); i++) {
      sets.add(items);
    }
    return tuples(tuples, sets, spec.output(), spec.extras(), spec.inputs());
  }

  private List<JobDraft> tuples(
      int[][] tuples,
      List<List<Matched>> sets,
      List<String> output,
      List<String> extras,
      @Nullable InputsModifier modifier) {
    List<JobDraft> jobs = new ArrayList<>(tuples.length);
    for (int[] tuple : tuples) {
      List<Item> items = new ArrayList<>(tuple.length);
      List<NameMatch> matches = new ArrayList<>(tuple.length);
      for (int position = 0; position < tuple.length; position++) {
        Matched m = sets.get(position).get(tuple[position]);
        items.add(m.item());
        matches.add(m.match());
      }
      NameMatch match = NameMatch.tuple(matches);
      jobs.add(
          JobDraft.of(
                  items,
                  added(match, modifier),
                  replaces(modifier),
                  substitute(match, output),
                  substituteExtras(match, extras),
                  false)
              .matched(match));
    }
    return jobs;
  }

  private List<Matched> matched(List<InputRef> input, FileFilter filter) {
    NameFilter compiled = NameFilter.compile(filter);
    List<Matched> result = new ArrayList<>();
    for (Item item : resolve.apply(input)) {
      compiled.match(item.files()).ifPresent(m -> result.add(new Matched(item, m)));
    }
    return result;
  }

  private static int[] sizes(List<List<Matched>> sets) {
    return sets.stream().mapToInt(List::size).toArray();
  }

  /** The files add_inputs or replace_inputs name for this match. */
  private static List<String> added(NameMatch match, @Nullable InputsModifier modifier) {
    return modifier == null ? List.of() : substituteExtras(match, modifier.templates());
  }

  private static boolean replaces(@Nullable InputsModifier modifier) {
    return modifier != null && modifier.replace();
  }

  static List<String> substitute(NameMatch match, List<String> templates) {
    if (templates.isEmpty()) {
      return List.of();
    }
    if (templates.size() == 1) {
      return List.of(bounded(match.substitute(templates.getFirst())));
    }
    List<String> result = new ArrayList<>(templates.size());
    for (String template : templates) {
      result.add(bounded(match.substitute(template)));
    }
    return result;
  }

  /**
   * Linux's PATH_MAX: longer names are no files, and chained {@code \1\1} would grow without end.
   */
  static final int MAX_NAME = 4096;

  private static String bounded(String name) {
    if (name.length() > MAX_NAME) {
      throw new InvalidTemplateException(
          "a substituted name is longer than "
              + MAX_NAME
              + " characters: "
              + name.substring(0, 60)
              + "...");
    }
    return name;
  }

  /** Extras and added inputs: Ruffus's suffix() substitutes these unlike outputs. */
  private static List<String> substituteExtras(NameMatch match, List<String> templates) {
    if (templates.isEmpty()) {
      return List.of();
    }
    List<String> result = new ArrayList<>(templates.size());
    for (String template : templates) {
      result.add(bounded(match.substituteExtra(template)));
    }
    return result;
  }

  private record Matched(Item item, NameMatch match) {}
}
