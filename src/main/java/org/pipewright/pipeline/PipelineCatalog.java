package org.pipewright.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
  private final DefinitionParser parser;
  private final JavaPackages javaPackages;
  private final Clock clock;

  /**
   * Versions never change, so their parsed form can be kept. Bounded (definitions can be big) and
   * parsed outside any lock, so one slow parse never holds up reads of other versions.
   */
  private final Map<String, PipelineDefinition> parsed = new ConcurrentHashMap<>();

  PipelineCatalog(
      PipelineRepository repository,
      DefinitionParser parser,
      PipelineProperties properties,
      Clock clock) {
    this.repository = repository;
    this.parser = parser;
    this.javaPackages = new JavaPackages(properties.javaPackages());
    this.clock = clock;
  }

  /**
   * Parses, validates and stores a posted definition.
   *
   * @throws InvalidDefinitionException when it does not follow the schema; nothing is stored
   */
  public Registration post(byte[] body, SourceFormat format) {
    ParsedDefinition definition = parser.parse(body, format);
    javaPackages.check(definition.definition());
    // What is stored is read back from its canonical form; make sure that reads before storing
    // it (a YAML body under the limit can expand past it, through aliases or JSON escaping).
    parser.parse(definition.canonicalJson().getBytes(StandardCharsets.UTF_8), SourceFormat.JSON);
    return register(
        definition.definition().name(),
        definition.digest(),
        format.name().toLowerCase(Locale.ROOT),
        new String(body, StandardCharsets.UTF_8),
        definition.canonicalJson());
  }

  /** The definition a stored version holds, parsed. */
  public PipelineDefinition definition(StoredPipeline stored) {
    String key = stored.name() + "@" + stored.version();
    PipelineDefinition definition = parsed.get(key);
    if (definition == null) {
      definition =
          parser
              .parse(stored.canonicalJson().getBytes(StandardCharsets.UTF_8), SourceFormat.JSON)
              .definition();
      if (parsed.size() >= 64) {
        parsed.clear(); // crude, but bounded; a re-parse costs milliseconds
      }
      parsed.putIfAbsent(key, definition);
    }
    return definition;
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
  public List<VersionInfo> versions(String name) {
    List<VersionInfo> versions = repository.versions(name);
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
   * @param created true when this call made a new version (HTTP 201), false when it already was the
   *     newest (HTTP 200)
   */
  public record Registration(StoredPipeline pipeline, boolean created) {}
}
