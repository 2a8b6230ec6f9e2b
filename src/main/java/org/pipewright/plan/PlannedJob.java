package org.pipewright.plan;

import java.util.List;

/**
 * One job of a plan.
 *
 * @param id stable within a plan of the same definition and files: {@code task:n}, n from 1
 * @param task the task it belongs to
 * @param inputs files it reads, relative to the workdir
 * @param outputs files it writes; for split and subdivide the globs until they have matches
 * @param extras the extra parameters, substituted
 * @param after ids of the jobs that make its inputs
 * @param willRun whether a run would execute it
 * @param reasons why it runs, or one {@code up-to-date} reason
 * @param mkdir folders created before it runs ({@code mkdir}, substituted like its outputs)
 */
public record PlannedJob(
    String id,
    String task,
    List<String> inputs,
    List<String> outputs,
    List<String> extras,
    List<String> after,
    boolean willRun,
    List<Reason> reasons,
    List<String> mkdir) {}
