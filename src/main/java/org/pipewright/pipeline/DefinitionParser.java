package org.pipewright.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates a posted pipeline definition (YAML or JSON, one schema; see {@code
 * docs/pipeline-definitions.md}). Reports every problem it can find in one pass, each with the path
 * of the field at fault. Thread-safe; no Spring.
 */
public final class DefinitionParser {

  private static final JsonMapper CANONICAL =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private final DefinitionLimits limits;
  private final TreeReader reader;

  /** A parser with {@link DefinitionLimits#DEFAULTS}. */
  public DefinitionParser() {
    this(DefinitionLimits.DEFAULTS);
  }

  public DefinitionParser(DefinitionLimits limits) {
    this.limits = limits;
    this.reader = new TreeReader(limits);
  }

  /**
   * Parses one definition.
   *
   * @param body the definition, UTF-8
   * @throws MalformedDefinitionException when the body is not well-formed YAML or JSON (400)
   * @throws InvalidDefinitionException when it breaks the schema or a rule (422), with every
   *     problem
   */
  public ParsedDefinition parse(byte[] body, SourceFormat format) {
    Errors errors = new Errors();
    if (body.length > limits.maxBytes()) {
      errors.add(
          "", "the definition is " + body.length + " bytes; the limit is " + limits.maxBytes());
      throw errors.toException();
    }
    JsonNode tree = reader.read(body, format, errors);
    DefinitionBinder.Bound bound = new DefinitionBinder(limits).bind(tree, errors);
    new DefinitionValidator(errors).validate(bound.tasks());
    if (!errors.isEmpty() || bound.definition() == null) {
      throw errors.toException();
    }
    String canonical = CANONICAL.writeValueAsString(tree);
    return new ParsedDefinition(bound.definition(), canonical, sha256(canonical));
  }

  private static String sha256(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
