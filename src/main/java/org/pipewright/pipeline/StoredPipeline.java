package org.pipewright.pipeline;

import java.time.Instant;

/**
 * One stored version of a pipeline definition.
 *
 * @param name the pipeline's name
 * @param version 1 for the first definition posted under the name, then one more per change
 * @param digest digest of the canonical form; equal digests mean equal definitions
 * @param format the format it was posted in ({@code yaml} or {@code json})
 * @param source the definition exactly as posted
 * @param canonicalJson the parsed definition as canonical JSON, what plans and runs use
 * @param createdAt when this version was stored
 */
public record StoredPipeline(
    String name,
    int version,
    String digest,
    String format,
    String source,
    String canonicalJson,
    Instant createdAt) {}
