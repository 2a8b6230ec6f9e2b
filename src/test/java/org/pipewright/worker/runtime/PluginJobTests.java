package org.pipewright.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pipewright.worker.runtime.Specs.aJavaJob;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginJobTests {

  @TempDir Path temp;

  @Test
  void aJobClassFromAPluginJarRunsWithItsOwnLoaderAsContextLoader() throws Exception {
    Path jar =
        pluginJar(
            "com.example.plugin.Greeting",
            """
            package com.example.plugin;
            public class Greeting implements org.pipewright.sdk.Job {
              public void run(org.pipewright.sdk.JobContext context) throws Exception {
                String loader = Thread.currentThread().getContextClassLoader().getName();
                java.nio.file.Files.writeString(context.output(0), "hello from " + loader);
              }
            }
            """);
    try (Rig rig = new Rig(temp.resolve("rig"), Attempt.JAVA_STOP_MS, List.of(jar))) {
      Completion completion = rig.run(aJavaJob("com.example.plugin.Greeting").outputs("out"));

      assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(rig.read("out")).isEqualTo("hello from pipewright-plugins");
    }
  }

  @Test
  void aClassMissingFromThePluginsTooSaysWhereItWasLookedFor() throws Exception {
    Path jar =
        pluginJar(
            "com.example.plugin.Other",
            """
            package com.example.plugin;
            public class Other {}
            """);
    try (Rig rig = new Rig(temp.resolve("rig"), Attempt.JAVA_STOP_MS, List.of(jar))) {
      Completion completion = rig.run(aJavaJob("com.example.plugin.Missing"));

      assertThat(completion.error())
          .isEqualTo(
              "class com.example.plugin.Missing not found on the worker's class path"
                  + " or in PIPEWRIGHT_PLUGINS");
    }
  }

  /** Compiles one class against the worker's classes and packs it into a jar. */
  private Path pluginJar(String className, String source) throws Exception {
    Path src = temp.resolve("src/" + className.replace('.', '/') + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(temp.resolve("classes"));
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.toString());
    assertThat(status).isZero();
    Path jar = temp.resolve("plugin.jar");
    String entry = className.replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
    }
    return jar;
  }
}
