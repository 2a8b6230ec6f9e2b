package org.pipewright.pipeline;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on what a client may post, so a definition can never exhaust the service.
 *
 * @param maxBodyBytes largest request body accepted, in bytes; larger bodies are refused with 413
 *     before they are read whole (default 1 MiB)
 * @param maxTasks most tasks one definition may declare (default 1000)
 * @param maxNestingDepth deepest nesting of YAML/JSON objects and arrays in a definition (default
 *     32)
 * @param maxAliases most YAML aliases ({@code *name}) in one definition (default 50)
 * @param maxValues most values in a definition once its aliases are expanded (default 100,000);
 *     with {@code maxAliases} it stops "billion laughs" bodies without expanding them
 * @param maxStringLength longest string, a value or a key, in characters (default 65,536)
 * @param maxListedJobs most entries in a list that spells out jobs one by one: {@code originate}
 *     outputs, {@code files} jobs, {@code parallel} parameter lists (default 10,000)
 * @param javaPackages the packages (with their subpackages) a {@code java:} job's class may come
 *     from; a definition naming any other class is refused, so a definition cannot reach whatever
 *     else sits on the worker's class path (default {@code org.pipewright.examples}; add the
 *     packages of your plugin jars)
 */
@ConfigurationProperties("pipewright.pipelines")
public record PipelineProperties(
    @DefaultValue("1048576") long maxBodyBytes,
    @DefaultValue("1000") int maxTasks,
    @DefaultValue("32") int maxNestingDepth,
    @DefaultValue("org.pipewright.examples") List<String> javaPackages,
    @DefaultValue("50") int maxAliases,
    @DefaultValue("100000") int maxValues,
    @DefaultValue("65536") int maxStringLength,
    @DefaultValue("10000") int maxListedJobs) {

  public PipelineProperties {
    if (maxBodyBytes <= 0
        || maxTasks <= 0
        || maxNestingDepth <= 0
        || maxAliases < 0
        || maxValues <= 0
        || maxStringLength <= 0
        || maxListedJobs <= 0) {
      throw new IllegalArgumentException("pipewright.pipelines limits must be positive");
    }
    javaPackages = List.copyOf(javaPackages);
    for (String name : javaPackages) {
      if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
        throw new IllegalArgumentException(
            "pipewright.pipelines.java-packages: '" + name + "' is not a package name");
      }
    }
  }
}
