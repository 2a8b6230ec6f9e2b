package org.pipewright.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The files of a workdir as they are on disk, each looked at once per plan. A path that reaches
 * outside the workspace root through a symbolic link is refused: definitions cannot name such
 * paths, and links must not smuggle them in.
 */
public final class DiskFileState implements FileState {

  private static final long MISSING = StringLongMap.ABSENT;
  private static final long ESCAPES = Long.MIN_VALUE + 1;

  private final Path root;
  private final Path workdir;
  private final StringLongMap times = new StringLongMap(1024);
  private final Set<String> scannedDirs = new HashSet<>();

  /**
   * @param workspaceRoot no path may resolve outside it
   * @param workdir the pipeline's workdir, relative to the root; it need not exist yet
   */
  public DiskFileState(Path workspaceRoot, String workdir) {
    try {
      Files.createDirectories(workspaceRoot);
      this.root = workspaceRoot.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the workspace root " + workspaceRoot, e);
    }
    this.workdir = root.resolve(workdir).normalize();
    if (!this.workdir.startsWith(root)) {
      throw new PathEscapesWorkspaceException(workdir);
    }
    checkDir(this.workdir);
  }

  @Override
  public OptionalLong modifiedNanos(String path) {
    int slash = path.lastIndexOf('/');
    String dir = slash < 0 ? "" : path.substring(0, slash);
    if (scannedDirs.add(dir)) {
      scan(dir);
    }
    long time = times.get(path);
    if (time == StringLongMap.ABSENT) {
      return OptionalLong.empty();
    }
    if (time == ESCAPES) {
      throw new PathEscapesWorkspaceException(path);
    }
    return OptionalLong.of(time);
  }

  /**
   * Reads every entry of a directory at once: a pipeline's outputs sit together, so one listing
   * answers thousands of look-ups, and a missing file costs no system call (and no exception).
   */
  private void scan(String dir) {
    Path path = dir.isEmpty() ? workdir : workdir.resolve(dir);
    if (!checkDir(path)) {
      return;
    }
    // File.list is several times cheaper than a DirectoryStream of Paths on large folders.
    String[] names = path.toFile().list();
    if (names == null) {
      return;
    }
    String prefix = dir.isEmpty() ? "" : dir + "/";
    times.ensureCapacity(times.size() + names.length);
    // Stat calls dominate on large folders; they parallelise well across cores.
    long[] stamps = new long[names.length];
    IntStream.range(0, names.length)
        .parallel()
        .forEach(i -> stamps[i] = stat(path.resolve(names[i])));
    for (int i = 0; i < stamps.length; i++) {
      if (stamps[i] != MISSING) {
        times.putIfAbsent(prefix.isEmpty() ? names[i] : prefix + names[i], stamps[i]);
      }
    }
  }

  private long stat(Path path) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        if (!path.toRealPath().startsWith(root)) {
          return ESCAPES; // refused only if the pipeline names it
        }
        attributes = Files.readAttributes(path, BasicFileAttributes.class);
      }
      FileTime time = attributes.lastModifiedTime();
      return time.to(TimeUnit.SECONDS) * 1_000_000_000L + time.toInstant().getNano();
    } catch (NoSuchFileException e) {
      return MISSING; // deleted while we listed, or a dangling link
    } catch (IOException e) {
      throw new WorkspaceUnreadableException(root.relativize(path).toString(), e);
    }
  }

  /** Whether the directory exists; refuses it when it resolves outside the root. */
  private boolean checkDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try {
      requireInside(dir.toRealPath(), root.relativize(dir).toString());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void requireInside(Path real, String shown) {
    if (!real.startsWith(root)) {
      throw new PathEscapesWorkspaceException(shown);
    }
  }

  @Override
  public List<String> glob(String pattern) {
    String[] segments = pattern.split("/");
    int fixed = 0;
    while (fixed < segments.length - 1 && !Globs.isGlob(segments[fixed])) {
      fixed++;
    }
    boolean recursive = pattern.contains("**");
    int depth = recursive ? Integer.MAX_VALUE : segments.length - fixed;
    // Java's glob treats braces as alternatives; Python's glob (which Ruffus uses) does not.
    String escaped = pattern.replace("{", "\\{").replace("}", "\\}");
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + escaped);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new InvalidTemplateException(
          "glob '" + pattern + "' is not valid: " + e.getDescription());
    }
    Path base = workdir.resolve(String.join("/", java.util.Arrays.copyOf(segments, fixed)));
    if (!checkDir(base)) {
      return List.of();
    }
    List<String> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(base, depth, new FileVisitOption[0])) {
      walk.filter(p -> !p.equals(base))
          .forEach(p -> {
            Path relative = workdir.relativize(p);
            if (matcher.matches(relative) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              found.add(relative.toString());
            }
          });
    } catch (IOException | UncheckedIOException e) {
      throw new WorkspaceUnreadableException(pattern, e);
    }
    found.sort(null);
    found.forEach(this::modifiedNanos); // also refuses links that leave the workspace
    return found;
  }
}
