/**
 * Pipeline definitions: the YAML/JSON schema, its parsing and validation, and versioned storage of
 * what users posted. Owns the definition records that {@code plan} expands into jobs; uses only
 * {@code plan}'s name filters and templates to check that patterns compile.
 */
@NullMarked
package org.pipewright.pipeline;

import org.jspecify.annotations.NullMarked;
