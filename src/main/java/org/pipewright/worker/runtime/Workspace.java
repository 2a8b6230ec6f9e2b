package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The workspace root as this host sees it, and the one place where a job's relative paths become
 * absolute. A path may not be absolute, may not have a {@code ..} segment (the control plane
 * refuses both already; a worker does not trust that), and may not lead out of the root through a
 * symbolic link: the real path of its deepest existing folder, and of the file itself when it is a
 * link, must be inside the real root.
 */
final class Workspace {

  private final Path root;
  private final Path realRoot;

  /** The root must exist. */
  Workspace(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
  }

  Path root() {
    return root;
  }

  /**
   * Resolves a relative path against a folder inside the root and checks that it stays inside.
   *
   * @param checked real folders already checked for this job, so a job's files share the work
   */
  Path resolve(Path base, String relative, Set<Path> checked) throws PathEscapeException {
    if (relative.isEmpty()) {
      throw new PathEscapeException("a path is empty");
    }
    if (relative.charAt(0) == '/') {
      throw new PathEscapeException("path '" + relative + "' is absolute");
    }
    if (relative.indexOf('\0') >= 0) {
      throw new PathEscapeException("path '" + relative + "' contains a NUL character");
    }
    if (hasDotDot(relative)) {
      throw new PathEscapeException("path '" + relative + "' has a '..' segment");
    }
    Path path = base.resolve(relative).normalize();
    if (!path.startsWith(root)) {
      throw new PathEscapeException("path '" + relative + "' leaves the workspace");
    }
    checkLinks(path, relative, checked);
    return path;
  }

  private void checkLinks(Path path, String relative, Set<Path> checked)
      throws PathEscapeException {
    try {
      if (Files.isSymbolicLink(path)) {
        Path real;
        try {
          real = path.toRealPath();
        } catch (NoSuchFileException e) {
          throw new PathEscapeException(
              "path '" + relative + "' is a symbolic link to a file that does not exist");
        }
        if (!real.startsWith(realRoot)) {
          throw new PathEscapeException(
              "path '" + relative + "' is a symbolic link out of the workspace");
        }
        return;
      }
      Path folder = path.getParent();
      while (folder != null && folder.startsWith(root) && !checked.contains(folder)) {
        if (Files.isDirectory(folder)) {
          if (!folder.toRealPath().startsWith(realRoot)) {
            throw new PathEscapeException(
                "path '" + relative + "' leads out of the workspace through a symbolic link");
          }
          checked.add(folder);
          return;
        }
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
          // A file, or a link to nothing, where a folder should be: creating the job's folders
          // fails with a clear error; nothing can leave the root through it.
          return;
        }
        folder = folder.getParent();
      }
    } catch (IOException e) {
      throw new PathEscapeException("path '" + relative + "' cannot be checked: " + e);
    }
  }

  private static boolean hasDotDot(String path) {
    int start = 0;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (end - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
        return true;
      }
      start = end + 1;
    }
    return false;
  }
}
