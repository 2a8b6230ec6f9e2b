/**
 * The shared log: Ruffus's logger owned by a Manager process, as a bean of the control plane.
 * Writers append batches of records over HTTP; each batch gets a contiguous range of global
 * sequence numbers and lands, committed, in the database and in one size-rolling logback file.
 * Readers page it with a cursor or follow it live.
 */
@NullMarked
package org.pipewright.sharedlog;

import org.jspecify.annotations.NullMarked;
