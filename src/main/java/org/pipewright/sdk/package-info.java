/**
 * What a job author compiles against: {@link org.pipewright.sdk.Job} and the {@link
 * org.pipewright.sdk.JobContext} a worker hands it, with the job's files, its log and named locks.
 * Plain JDK only: no Spring, nothing of the control plane, so a job class loads in a small worker
 * JVM.
 */
@NullMarked
package org.pipewright.sdk;

import org.jspecify.annotations.NullMarked;
