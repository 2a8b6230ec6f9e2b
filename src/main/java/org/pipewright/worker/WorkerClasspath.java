package org.pipewright.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The class path a worker JVM starts with: one small jar holding only the worker runtime, the SDK
 * and the shipped example jobs, never the control plane's libraries, so that it starts in a
 * fraction of a second. The jar is made from the service's own classes (a build folder, or the
 * packaged jar) and named after a digest of its content, so it is made once per build; a jar rather
 * than a folder because class data sharing only archives classes from jars.
 */
final class WorkerClasspath {

  /** The packages a worker needs, as paths inside a class folder or jar. */
  static final List<String> PACKAGES =
      List.of("org/pipewright/sdk/", "org/pipewright/worker/runtime/", "org/pipewright/examples/");

  static final String MAIN = "org.pipewright.worker.runtime.WorkerMain";

  private static final String BOOT_CLASSES = "BOOT-INF/classes/";

  private WorkerClasspath() {}

  /** The configured path, or a jar of the service's own worker classes in {@code directory}. */
  static List<Path> resolve(List<Path> configured, Path directory) {
    if (!configured.isEmpty()) {
      return configured;
    }
    URL location = WorkerClasspath.class.getProtectionDomain().getCodeSource().getLocation();
    String text = location.toString();
    Map<String, byte[]> classes =
        text.startsWith("file:") && text.endsWith("/")
            ? fromFolder(toPath(text))
            : fromBootJar(outerJar(text));
    return List.of(writeJar(classes, directory));
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

  private static Map<String, byte[]> fromFolder(Path root) {
    Map<String, byte[]> classes = new TreeMap<>();
    for (String pkg : PACKAGES) {
      Path dir = root.resolve(pkg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          classes.put(
              root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the worker classes in " + dir, e);
      }
    }
    return classes;
  }

  private static Map<String, byte[]> fromBootJar(Path jar) {
    Map<String, byte[]> classes = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(BOOT_CLASSES)) {
          continue;
        }
        String relative = name.substring(BOOT_CLASSES.length());
        if (PACKAGES.stream().anyMatch(relative::startsWith)) {
          try (InputStream in = file.getInputStream(entry)) {
            classes.put(relative, in.readAllBytes());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the worker classes from " + jar, e);
    }
    return classes;
  }

  private static Path writeJar(Map<String, byte[]> classes, Path directory) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      classes.forEach((name, bytes) -> {
        digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update(bytes);
      });
      String hash = HexFormat.of().formatHex(digest.digest(), 0, 8);
      Path target = directory.resolve("pipewright-worker-" + hash + ".jar").toAbsolutePath();
      if (Files.isRegularFile(target)) {
        return target;
      }
      Files.createDirectories(directory);
      Path partial = Files.createTempFile(directory, "pipewright-worker-", ".partial");
      try (OutputStream out = Files.newOutputStream(partial);
          JarOutputStream jar = new JarOutputStream(out)) {
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
          jar.putNextEntry(new JarEntry(entry.getKey()));
          jar.write(entry.getValue());
          jar.closeEntry();
        }
      }
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the worker jar in " + directory, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
