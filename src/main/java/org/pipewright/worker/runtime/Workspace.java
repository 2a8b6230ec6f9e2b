package org.pipewright.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * The workspace root as this host sees it, and the one place where a job's relative paths become
 * absolute. A path may not be absolute, may not have a {@code ..} segment (the control plane
 * refuses both already; a worker does not trust that), and may not lead out of the root through a
 * symbolic link: the real path of its deepest existing folder, and of the file itself when it is a
 * link, must be inside the real root. A dangling link is not followed by the check (it costs an
 * exception per missing file to find one); what a job writes through it is the job's doing.
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
    // exists() first: it follows links and costs one access(2); lstat on a missing file costs an
    // exception. A missing file is no link, save a dangling one, which stays unchecked.
    if (Files.exists(path)) {
      checkExisting(path, relative, checked);
    } else {
      checkFolder(path, relative, checked);
    }
  }

  /**
   * Checks a path resolved by {@link #resolve} that exists (a moment ago): its real path when it is
   * a link, else its folders. A real folder joins {@code checked}, so that what lies beneath it
   * does not look at it again.
   */
  void checkExisting(Path path, String relative, Set<Path> checked) throws PathEscapeException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      checkFolder(path, relative, checked); // gone meanwhile: as any missing file
      return;
    } catch (IOException e) {
      throw new PathEscapeException("path '" + relative + "' cannot be checked: " + e);
    }
    if (attributes.isSymbolicLink()) {
      try {
        if (!path.toRealPath().startsWith(realRoot)) {
          throw new PathEscapeException(
              "path '" + relative + "' is a symbolic link out of the workspace");
        }
      } catch (IOException e) {
        throw new PathEscapeException("path '" + relative + "' cannot be checked: " + e);
      }
      return;
    }
    checkFolder(path, relative, checked);
    if (attributes.isDirectory()) {
      checked.add(path);
    }
  }

  /** Checks the folders a path lies in. */
  private void checkFolder(Path path, String relative, Set<Path> checked)
      throws PathEscapeException {
    Path folder = path.getParent();
    if (folder == null || !folder.startsWith(root) || checked.contains(folder)) {
      return;
    }
    try {
      checkFolders(folder, relative, checked);
    } catch (IOException e) {
      throw new PathEscapeException("path '" + relative + "' cannot be checked: " + e);
    }
  }

  /**
   * Checks a folder's existing part from the root down, one lstat per folder: a folder that is no
   * link is inside when its parent is, and a link is checked by its real path. That is the real
   * path of the deepest existing folder, without a realpath(3), which costs a readlink(2) per
   * segment from {@code /}: on a VM each system call costs microseconds, and a job's paths are
   * checked before and after it runs.
   */
  private void checkFolders(Path folder, String relative, Set<Path> checked)
      throws IOException, PathEscapeException {
    Path current = root;
    for (int i = root.getNameCount(); i < folder.getNameCount(); i++) {
      current = current.resolve(folder.getName(i));
      if (checked.contains(current) || Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        checked.add(current);
        continue;
      }
      if (!Files.isDirectory(current)) {
        // Missing, so nothing beneath it exists; or a file where a folder should be, and making
        // the job's folders fails with a clear error.
        return;
      }
      if (!current.toRealPath().startsWith(realRoot)) {
        throw new PathEscapeException(
            "path '" + relative + "' leads out of the workspace through a symbolic link");
      }
      checked.add(current);
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
