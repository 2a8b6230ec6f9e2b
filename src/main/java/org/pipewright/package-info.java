/**
 * Pipewright's control plane. The root holds the application class and what every capability
 * shares: the error root {@link org.pipewright.PipewrightException}, {@link
 * org.pipewright.FieldError} and the clock.
 */
@NullMarked
package org.pipewright;

import org.jspecify.annotations.NullMarked;
