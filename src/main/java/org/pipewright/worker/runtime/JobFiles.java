package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A job's paths made absolute and checked by {@link Workspace}: the workdir, the files and folders
 * the spec names, and the log folder.
 */
final class JobFiles {

  final Path workdir;
  final List<Path> inputs;
  final List<Path> outputs;
  final Path logDir;
  private final JobSpec spec;
  private final List<Path> mkdir;
  private final List<Path> checkOutputs;
  private final Workspace workspace;

  /** Folders found real and inside as the paths were checked: they exist, none to make. */
  private final Set<Path> checked = new HashSet<>();

  private JobFiles(JobSpec spec, Workspace workspace) throws PathEscapeException {
    this.spec = spec;
    this.workspace = workspace;
    checked.add(workspace.root());
    workdir = workspace.resolve(workspace.root(), spec.workdir(), checked);
    logDir = workspace.resolve(workspace.root(), spec.logDir(), checked);
    // The declared outputs are most often the outputs again: each path is checked once.
    Map<String, Path> resolved = new HashMap<>();
    inputs = resolveAll(workspace, spec.inputs(), checked, resolved);
    outputs = resolveAll(workspace, spec.outputs(), checked, resolved);
    mkdir = resolveAll(workspace, spec.mkdir(), checked, resolved);
    checkOutputs = resolveAll(workspace, spec.checkOutputs(), checked, resolved);
  }

  static JobFiles resolve(JobSpec spec, Workspace workspace) throws PathEscapeException {
    return new JobFiles(spec, workspace);
  }

  /**
   * Creates the workdir, the {@code mkdir} folders and the folders of the outputs; those the checks
   * found already are not looked at again.
   */
  void prepare() throws IOException {
    ensureFolder(workdir);
    for (Path folder : mkdir) {
      ensureFolder(folder);
    }
    Path last = workdir;
    for (Path output : outputs) {
      Path parent = output.getParent();
      if (parent != null && !parent.equals(last)) {
        ensureFolder(parent);
        last = parent;
      }
    }
  }

  private void ensureFolder(Path folder) throws IOException {
    if (!checked.contains(folder)) {
      makeFolder(folder);
    }
  }

  /** The attempt's own file in the log folder: {@code attempt-N.<suffix>}. */
  Path logFile(String suffix) {
    return logDir.resolve("attempt-" + spec.id().attempt() + "." + suffix);
  }

  /**
   * Checks the declared outputs once the job made them: each must exist (a missing one is reported
   * before any that leads out), and none may lead out of the workspace, as a job can make an output
   * a symbolic link out of it, and whatever reads it next (a job downstream, the control plane
   * recording it) would read outside.
   *
   * @return the first declared output that does not exist, as the spec names it; null when all do
   * @throws PathEscapeException naming the first output that leads out
   */
  @Nullable String checkOutputs() throws PathEscapeException {
    for (int i = 0; i < checkOutputs.size(); i++) {
      if (!Files.exists(checkOutputs.get(i))) {
        return spec.checkOutputs().get(i);
      }
    }
    // Folders are checked afresh (the job may have replaced one with a link), once for all.
    Set<Path> checkedAfter = new HashSet<>();
    for (int i = 0; i < checkOutputs.size(); i++) {
      workspace.checkExisting(checkOutputs.get(i), spec.checkOutputs().get(i), checkedAfter);
    }
    for (String output : spec.outputs()) {
      if (isGlob(output)) {
        checkMatchesStayInside(output, checkedAfter);
      }
    }
    return null;
  }

  /**
   * The files a {@code split} or {@code subdivide} job made are named by globs: each match that is
   * a symbolic link is checked like a declared output, from the glob's first folder down.
   */
  private void checkMatchesStayInside(String glob, Set<Path> checked) throws PathEscapeException {
    String[] segments = glob.split("/");
    int fixed = 0;
    while (fixed < segments.length - 1 && !isGlob(segments[fixed])) {
      fixed++;
    }
    Path from = workdir.resolve(String.join("/", List.of(segments).subList(0, fixed)));
    int depth = glob.contains("**") ? Integer.MAX_VALUE : segments.length - fixed;
    PathMatcher matcher = workdir.getFileSystem().getPathMatcher("glob:" + glob);
    List<Path> links;
    try (Stream<Path> found = Files.walk(from, depth)) {
      links =
          found
              .filter(Files::isSymbolicLink)
              .filter(path -> matcher.matches(workdir.relativize(path)))
              .toList();
    } catch (IOException | UncheckedIOException e) {
      return; // no folder, so no match: nothing was made there
    }
    for (Path link : links) {
      workspace.resolve(workdir, workdir.relativize(link).toString(), checked);
    }
  }

  private static boolean isGlob(String path) {
    return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
  }

  /** A stat first: {@code createDirectories} on an existing folder costs an exception. */
  static void makeFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder);
    }
  }

  private List<Path> resolveAll(
      Workspace workspace, List<String> paths, Set<Path> checked, Map<String, Path> resolved)
      throws PathEscapeException {
    if (paths.isEmpty()) {
      return List.of();
    }
    List<Path> all = new ArrayList<>(paths.size());
    for (String path : paths) {
      Path absolute = resolved.get(path);
      if (absolute == null) {
        absolute = workspace.resolve(workdir, path, checked);
        resolved.put(path, absolute);
      }
      all.add(absolute);
    }
    return List.copyOf(all);
  }
}
