package org.pipewright.pipeline;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.pipewright.pipeline.PipelineRepository.NewVersion;
import org.pipewright.pipeline.PipelineRepository.Saved;
import org.springframework.stereotype.Service;

/**
 * The pipelines users posted, each with its versions. Posting a changed definition under a name
 * makes a new version; posting the newest one again does not.
 */
@Service
public class PipelineCatalog {

  private final PipelineRepository repository;
  private final Clock clock;

  PipelineCatalog(PipelineRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /**
   * Stores a parsed definition under its name.
   *
   * @param name the pipeline's name
   * @param digest digest of {@code canonicalJson}; equal digests mean equal definitions
   * @param format the format it was posted in ({@code yaml} or {@code json})
   * @param source the definition exactly as posted
   * @param canonicalJson the parsed definition in canonical form
   * @return the version holding the definition, {@code created} false when the newest version
   *     already was this definition
   */
  public Registration register(
      String name, String digest, String format, String source, String canonicalJson) {
    Saved saved =
        repository.save(
            new NewVersion(name, digest, format, source, canonicalJson, clock.instant()));
    StoredPipeline stored =
        repository
            .findVersion(name, saved.version())
            .orElseThrow(() -> new IllegalStateException("version just saved is gone"));
    return new Registration(stored, saved.created());
  }

  /** The newest version of the named pipeline. */
  public StoredPipeline latest(String name) {
    return repository.findLatest(name).orElseThrow(() -> new PipelineNotFoundException(name));
  }

  /** One version of the named pipeline. */
  public StoredPipeline version(String name, int version) {
    Optional<StoredPipeline> found = repository.findVersion(name, version);
    if (found.isPresent()) {
      return found.get();
    }
    if (repository.findLatest(name).isEmpty()) {
      throw new PipelineNotFoundException(name);
    }
    throw new VersionNotFoundException(name, version);
  }

  /** The named pipeline's versions, oldest first. */
  public List<StoredPipeline> versions(String name) {
    List<StoredPipeline> versions = repository.versions(name);
    if (versions.isEmpty()) {
      throw new PipelineNotFoundException(name);
    }
    return versions;
  }

  /** Every pipeline with its newest version, by name. */
  public List<PipelineSummary> list() {
    return repository.list();
  }

  /**
   * The outcome of {@link #register}.
   *
   * @param pipeline the stored version holding the definition
   * @param created true when this call made a new version (HTTP 201), false when it already was
   *     the newest (HTTP 200)
   */
  public record Registration(StoredPipeline pipeline, boolean created) {}
}
