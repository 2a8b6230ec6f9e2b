/**
 * Example Java jobs, written against {@link org.pipewright.sdk} only, as a job author would: the
 * demo pipelines and the throughput benchmark run them.
 */
@NullMarked
package org.pipewright.examples;

import org.jspecify.annotations.NullMarked;
