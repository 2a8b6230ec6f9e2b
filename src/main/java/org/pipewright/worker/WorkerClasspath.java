package org.pipewright.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class path a worker JVM starts with: only the worker runtime, the SDK and the shipped example
 * jobs, never the control plane's libraries, so that it starts in a fraction of a second. From a
 * build tree that is the classes folder itself (the worker loads only what it uses); from the
 * packaged jar, those packages are copied out of it once per jar.
 */
final class WorkerClasspath {

  /** The packages a worker needs, as paths inside a class folder or jar. */
  static final List<String> PACKAGES =
      List.of("org/pipewright/sdk/", "org/pipewright/worker/runtime/", "org/pipewright/examples/");

  static final String MAIN = "org.pipewright.worker.runtime.WorkerMain";

  private static final String BOOT_CLASSES = "BOOT-INF/classes/";

  private WorkerClasspath() {}

  /** The configured path, or the service's own worker classes. */
  static List<Path> resolve(List<Path> configured, Path directory) {
    if (!configured.isEmpty()) {
      return configured;
    }
    URL location = WorkerClasspath.class.getProtectionDomain().getCodeSource().getLocation();
    String text = location.toString();
    if (text.startsWith("file:") && text.endsWith("/")) {
      return List.of(toPath(text));
    }
    return List.of(extract(outerJar(text), directory));
  }

  /** The packaged jar's path from {@code jar:nested:/app.jar/!BOOT-INF/classes/!/} and alike. */
  static Path outerJar(String location) {
    String text = location;
    for (String prefix : List.of("jar:", "nested:", "file:")) {
      if (text.startsWith(prefix)) {
        text = text.substring(prefix.length());
      }
    }
    int bang = text.indexOf("!");
    if (bang >= 0) {
      text = text.substring(0, bang);
    }
    if (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return Path.of(text);
  }

  private static Path toPath(String url) {
    try {
      return Path.of(new URI(url));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("unexpected class location " + url, e);
    }
  }

  /**
   * Copies the worker packages out of the jar into a folder named after the jar's size and time.
   */
  private static Path extract(Path jar, Path directory) {
    try {
      String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
      Path target = directory.resolve("classes-" + stamp).toAbsolutePath();
      if (Files.isDirectory(target)) {
        return target;
      }
      Path partial = Files.createDirectories(directory).resolve("classes-" + stamp + ".partial");
      try (JarFile file = new JarFile(jar.toFile())) {
        Enumeration<JarEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          String name = entry.getName();
          if (entry.isDirectory() || !name.startsWith(BOOT_CLASSES)) {
            continue;
          }
          String relative = name.substring(BOOT_CLASSES.length());
          if (PACKAGES.stream().noneMatch(relative::startsWith)) {
            continue;
          }
          Path out = partial.resolve(relative).normalize();
          if (!out.startsWith(partial)) {
            continue; // a hostile entry name; a jar we built has none
          }
          Files.createDirectories(out.getParent());
          try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not extract the worker classes from " + jar, e);
    }
  }
}
