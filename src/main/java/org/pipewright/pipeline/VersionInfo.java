package org.pipewright.pipeline;

import java.time.Instant;

/**
 * One version of a pipeline without its text, for listings: a pipeline may have hundreds of
 * versions of up to a MiB each.
 *
 * @param version its number, from 1
 * @param digest digest of its canonical form
 * @param format {@code yaml} or {@code json}, as posted
 * @param createdAt when it was posted
 */
public record VersionInfo(int version, String digest, String format, Instant createdAt) {}
