/**
 * The main of a forked worker JVM ({@link org.pipewright.worker.runtime.WorkerMain}): registers
 * with the control plane, leases jobs, runs them (shell, Java, touch) and reports them, as
 * docs/worker-protocol.md says; feeds the control plane's shared log with what its jobs log and
 * print, and takes its leased locks for them (docs/shared-log.md). Plain JDK only, no Spring and
 * nothing of the control plane: it must start in a fraction of a second and stay small. Implements
 * {@link org.pipewright.sdk} for Java jobs.
 */
@NullMarked
package org.pipewright.worker.runtime;

import org.jspecify.annotations.NullMarked;
