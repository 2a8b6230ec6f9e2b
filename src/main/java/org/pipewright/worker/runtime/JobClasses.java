package org.pipewright.worker.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.Job;

/**
 * Finds Java job classes on the worker's class path and in the {@code PIPEWRIGHT_PLUGINS} jars,
 * through one {@link URLClassLoader} made on first use (the worker's own loader is its parent, so
 * {@link Job} is the same class for every plugin). Each class's constructor is looked up once.
 */
final class JobClasses {

  private final List<Path> plugins;
  private final Map<String, Constructor<? extends Job>> constructors = new HashMap<>();
  private @Nullable ClassLoader loader;

  JobClasses(List<Path> plugins) {
    this.plugins = plugins;
  }

  /** The public no-argument constructor of a job class. */
  synchronized Constructor<? extends Job> constructor(String className) throws JobClassException {
    Constructor<? extends Job> constructor = constructors.get(className);
    if (constructor == null) {
      constructor = find(className);
      constructors.put(className, constructor);
    }
    return constructor;
  }

  private Constructor<? extends Job> find(String className) throws JobClassException {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new JobClassException(
          "class "
              + className
              + " not found on the worker's class path"
              + (plugins.isEmpty() ? "" : " or in PIPEWRIGHT_PLUGINS")
              + (e instanceof LinkageError ? " (" + e + ")" : ""));
    }
    if (!Job.class.isAssignableFrom(type)) {
      throw new JobClassException(className + " does not implement " + Job.class.getName());
    }
    if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
      throw new JobClassException(className + " must be a public, concrete class");
    }
    try {
      return type.asSubclass(Job.class).getConstructor();
    } catch (NoSuchMethodException e) {
      throw new JobClassException(className + " has no public constructor without arguments");
    }
  }

  private ClassLoader loader() throws JobClassException {
    if (loader == null) {
      ClassLoader parent = JobClasses.class.getClassLoader();
      if (plugins.isEmpty()) {
        loader = parent;
      } else {
        URL[] urls = new URL[plugins.size()];
        for (int i = 0; i < urls.length; i++) {
          try {
            urls[i] = plugins.get(i).toUri().toURL();
          } catch (MalformedURLException e) {
            throw new JobClassException("plugin " + plugins.get(i) + " is not a valid path");
          }
        }
        loader = new URLClassLoader("pipewright-plugins", urls, parent);
      }
    }
    return loader;
  }
}
