package org.pipewright.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.pipewright.FieldError;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;
import tools.jackson.dataformat.yaml.YAMLReadFeature;

/**
 * Reads a YAML or JSON body into a tree, within {@link DefinitionLimits}. Builds the tree itself
 * rather than with {@code readTree}, for three reasons: Jackson's YAML parser reports an alias as
 * the anchor's name (it does not expand it, and SnakeYAML's alias limit only applies in the
 * composer that Jackson skips), so aliases are resolved and counted here; duplicate keys are
 * collected with their path instead of stopping at the first; and every limit can name where it was
 * hit.
 */
final class TreeReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern JAVA_NAME =
      Pattern.compile("\\(?\\b(?:java|javax|tools|org)\\.[\\w.$]+(?:Exception|Error)\\)?:?\\s*");

  private final DefinitionLimits limits;
  private final TokenStreamFactory yaml;
  private final TokenStreamFactory json;

  TreeReader(DefinitionLimits limits) {
    this.limits = limits;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxNestingDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxDocumentLength(limits.maxBytes())
            .build();
    LoadSettings yamlSettings =
        LoadSettings.builder()
            .setMaxAliasesForCollections(limits.maxAliases())
            .setCodePointLimit(limits.maxBytes())
            // Duplicates are reported here with their path; the parser would stop at the first.
            .setAllowDuplicateKeys(true)
            .setAllowRecursiveKeys(false)
            .build();
    this.yaml =
        YAMLFactory.builder()
            .loadSettings(yamlSettings)
            .streamReadConstraints(constraints)
            .enable(YAMLReadFeature.EMPTY_STRING_AS_NULL)
            .build();
    this.json = JsonFactory.builder().streamReadConstraints(constraints).build();
  }

  /**
   * @throws MalformedDefinitionException when the body is not well-formed
   * @throws InvalidDefinitionException when it is empty or past a limit
   */
  JsonNode read(byte[] body, SourceFormat format, Errors errors) {
    TokenStreamFactory factory = format == SourceFormat.YAML ? yaml : json;
    Document document = new Document(errors, format == SourceFormat.YAML);
    try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), body)) {
      document.parser = parser;
      return document.read();
    } catch (StreamConstraintsException e) {
      errors.addPastLimit(document.at, constraintMessage(e));
      throw errors.toException();
    } catch (JacksonException e) {
      throw new MalformedDefinitionException(new FieldError(document.at, syntaxMessage(e)));
    }
  }

  private String constraintMessage(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.contains("nesting depth")) {
      return "nested deeper than " + limits.maxNestingDepth() + " levels";
    }
    return message.replaceAll(", from `[^`]*`", "");
  }

  private static String syntaxMessage(JacksonException e) {
    String message =
        e.getCause() instanceof MarkedYamlEngineException yamlError
            ? (yamlError.getContext() == null ? "" : yamlError.getContext() + ": ")
                + yamlError.getProblem()
            : String.valueOf(e.getOriginalMessage());
    if (message.startsWith("Malformed numeric value")) {
      message = "a number that cannot be read (such as .inf or .nan); quote it if it is text";
    }
    // Clients see no Java class names (java.io.CharConversionException: ...).
    message = JAVA_NAME.matcher(message).replaceAll("");
    TokenStreamLocation where = e.getLocation();
    return where == null || where.getLineNr() < 1
        ? message
        : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": " + message;
  }

  /** An anchored value and how many values it stands for once expanded. */
  private record Anchor(JsonNode node, int size) {}

  /** The state of reading one body. */
  private final class Document {
    private final Errors errors;
    private final boolean isYaml;
    private final Map<String, Anchor> anchors = new HashMap<>();
    private @Nullable JsonParser parser;
    private String at = "";
    private int nodes;
    private int aliases;

    Document(Errors errors, boolean isYaml) {
      this.errors = errors;
      this.isYaml = isYaml;
    }

    JsonNode read() {
      JsonToken first = next();
      if (first == null) {
        errors.add("", "the definition is empty; it needs at least a name and tasks");
        throw errors.toException();
      }
      JsonNode root = value(first, "");
      at = "";
      if (next() != null) {
        throw new MalformedDefinitionException(
            new FieldError(
                "",
                isYaml
                    ? "a definition is one YAML document, but another follows it"
                    : "unexpected content after the definition"));
      }
      return root;
    }

    private @Nullable JsonToken next() {
      return parser().nextToken();
    }

    private JsonParser parser() {
      if (parser == null) {
        throw new IllegalStateException("no parser");
      }
      return parser;
    }

    private JsonNode value(@Nullable JsonToken token, String path) {
      at = path;
      if (token == null) {
        throw new IllegalStateException("token stream ended inside a value at " + path);
      }
      int start = count(path);
      return switch (token) {
        case START_OBJECT -> object(path, start);
        case START_ARRAY -> array(path, start);
        case VALUE_STRING -> isAlias() ? alias(path) : text(path);
        case VALUE_NUMBER_INT -> integer();
        case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser().getDecimalValue());
        case VALUE_TRUE -> NODES.booleanNode(true);
        case VALUE_FALSE -> NODES.booleanNode(false);
        case VALUE_NULL -> NODES.nullNode();
        default -> {
          errors.add(path, "binary values (!!binary) are not supported");
          yield NODES.nullNode();
        }
      };
    }

    private JsonNode object(String path, int start) {
      String anchor = anchor();
      ObjectNode node = NODES.objectNode();
      for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
        String key = parser().currentName();
        String child = Errors.field(path, key);
        checkLength(key, child);
        at = child;
        JsonNode value = value(next(), child);
        if (node.has(key)) {
          errors.add(child, "duplicate key '" + key + "'");
        } else {
          node.set(key, value);
        }
      }
      return remember(anchor, node, start);
    }

    private JsonNode array(String path, int start) {
      String anchor = anchor();
      ArrayNode node = NODES.arrayNode();
      int i = 0;
      for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next(), i++) {
        node.add(value(t, Errors.index(path, i)));
      }
      return remember(anchor, node, start);
    }

    private JsonNode integer() {
      JsonParser p = parser();
      return switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
    }

    /**
     * Jackson reads YAML with the JSON schema's scalars: {@code key:} is null only with {@code
     * EMPTY_STRING_AS_NULL}, and {@code ~} stays a string. {@code ~} is YAML's usual null, so it is
     * read as one (quoted or not: the parser does not say).
     */
    private JsonNode text(String path) {
      String text = parser().getString();
      checkLength(text, path);
      return isYaml && text.equals("~") ? NODES.nullNode() : NODES.stringNode(text);
    }

    private boolean isAlias() {
      return isYaml && parser() instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias();
    }

    private @Nullable String anchor() {
      return isYaml && parser().getObjectId() instanceof String name ? name : null;
    }

    private JsonNode remember(@Nullable String anchor, JsonNode node, int start) {
      if (anchor != null) {
        anchors.put(anchor, new Anchor(node, nodes - start + 1));
      }
      return node;
    }

    /** An alias shares its anchor's node; the budget counts it as if it were copied. */
    private JsonNode alias(String path) {
      String name = parser().getString();
      if (++aliases > limits.maxAliases()) {
        throw fail(path, "more than " + limits.maxAliases() + " YAML aliases");
      }
      Anchor anchor = anchors.get(name);
      if (anchor == null) {
        errors.add(
            path,
            "alias *"
                + name
                + " names no complete mapping or list before it (anchors on single values and"
                + " aliases inside their own anchor are not supported)");
        return NODES.nullNode();
      }
      nodes += anchor.size() - 1;
      checkNodes(path);
      return anchor.node();
    }

    private int count(String path) {
      nodes++;
      checkNodes(path);
      return nodes;
    }

    private void checkNodes(String path) {
      if (nodes > limits.maxNodes()) {
        throw fail(
            path, "more than " + limits.maxNodes() + " values once YAML aliases are expanded");
      }
    }

    private void checkLength(String text, String path) {
      if (text.length() > limits.maxStringLength()) {
        throw fail(
            path,
            "a string of " + text.length() + " chars; the limit is " + limits.maxStringLength());
      }
    }

    /** A limit passed: reading stops here. */
    private InvalidDefinitionException fail(String path, String message) {
      errors.addPastLimit(path, message);
      return errors.toException();
    }
  }
}
