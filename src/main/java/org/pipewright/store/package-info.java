/**
 * JDBC implementations of the repository interfaces the capabilities own ({@code
 * pipeline.PipelineRepository}, {@code run.JobHistoryRepository}) and the Flyway migrations in
 * {@code db/migration}. SQL here runs on H2 and PostgreSQL alike. Nothing outside this package
 * names its classes; web and dashboard never use it directly.
 */
@NullMarked
package org.pipewright.store;

import org.jspecify.annotations.NullMarked;
