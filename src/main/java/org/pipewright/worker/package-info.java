/**
 * The control plane's side of the worker pool: the registry of worker JVMs and their leases, the
 * HTTP protocol they pull jobs with ({@code docs/worker-protocol.md}), and the launchers that start
 * them. The worker JVM itself is {@code org.pipewright.worker.runtime}, which uses none of this.
 */
@NullMarked
package org.pipewright.worker;

import org.jspecify.annotations.NullMarked;
