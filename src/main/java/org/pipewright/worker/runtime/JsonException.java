package org.pipewright.worker.runtime;

/** A JSON text that breaks the grammar (RFC 8259) or one of the reader's limits. */
final class JsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  JsonException(String message) {
    super(message);
  }
}
