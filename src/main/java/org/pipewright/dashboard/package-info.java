/**
 * The web dashboard: server-rendered pages over the run, pipeline and shared-log services; it never
 * touches store directly.
 */
@NullMarked
package org.pipewright.dashboard;

import org.jspecify.annotations.NullMarked;
