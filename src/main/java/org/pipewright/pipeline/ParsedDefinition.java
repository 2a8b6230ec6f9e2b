package org.pipewright.pipeline;

/**
 * A definition that parsed and validated, with the form the catalog versions it by.
 *
 * @param definition the validated records
 * @param canonicalJson the parsed tree as compact JSON with every object's keys sorted: the same
 *     for YAML and JSON of the same content, whatever the comments, whitespace, key order or
 *     anchors
 * @param digest SHA-256 of {@code canonicalJson} (UTF-8), lower-case hex; a posted definition with
 *     a new digest is a new version
 */
public record ParsedDefinition(
    PipelineDefinition definition, String canonicalJson, String digest) {}
