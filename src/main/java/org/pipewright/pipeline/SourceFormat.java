package org.pipewright.pipeline;

/** The syntax a pipeline definition is written in. Both describe the same tree. */
public enum SourceFormat {
  YAML,
  JSON
}
