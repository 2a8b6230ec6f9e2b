package org.pipewright.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Versioned storage of pipeline definitions, owned by this capability and implemented in {@code
 * store}. Callers go through {@link PipelineCatalog}.
 */
public interface PipelineRepository {

  /** The newest version of the pipeline, or empty when no pipeline has that name. */
  Optional<StoredPipeline> findLatest(String name);

  /** One version of the pipeline, or empty when the pipeline or the version does not exist. */
  Optional<StoredPipeline> findVersion(String name, int version);

  /** The newest version of the pipeline with this digest, or empty when none has it. */
  Optional<StoredPipeline> findByDigest(String name, String digest);

  /** Every pipeline with its newest version, by name. */
  List<PipelineSummary> list();

  /** The versions of one pipeline, oldest first; empty when no pipeline has that name. */
  List<VersionInfo> versions(String name);

  /**
   * Stores a definition as the pipeline's next version, unless its newest version already has the
   * same digest. Atomic: concurrent saves of different definitions under one name get distinct,
   * consecutive version numbers.
   *
   * @return the version that now holds the definition and whether this call created it
   */
  Saved save(NewVersion version);

  /**
   * A definition to store.
   *
   * @param name the pipeline's name
   * @param digest digest of the canonical form
   * @param format the format it was posted in
   * @param source the definition as posted
   * @param canonicalJson the canonical form
   * @param createdAt when it is stored
   */
  record NewVersion(
      String name,
      String digest,
      String format,
      String source,
      String canonicalJson,
      Instant createdAt) {}

  /**
   * The outcome of {@link #save}.
   *
   * @param version the version number holding the definition
   * @param created false when the newest version already had this digest and nothing was stored
   */
  record Saved(int version, boolean created) {}
}
