package org.pipewright.run;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A job handed to a worker: one attempt, with the token that fences it.
 *
 * @param jobId the job
 * @param attempt the attempt's number
 * @param token the attempt's secret; every call about this attempt carries it
 * @param runId the run
 * @param pipeline the pipeline's name
 * @param task the task
 * @param key {@code task:n}
 * @param kind {@code shell}, {@code java} or {@code touch}
 * @param command the substituted shell command
 * @param className the java job's class
 * @param workdir the pipeline's workdir, relative to the workspace root
 * @param inputs relative to the workdir
 * @param outputs relative to the workdir
 * @param extras extra parameters
 * @param mkdir folders to create first, relative to the workdir
 * @param checkOutputs outputs that must exist after it ends well
 * @param logDir where its stdout, stderr and log go, relative to the workspace root
 */
public record Assignment(
    long jobId,
    int attempt,
    String token,
    long runId,
    String pipeline,
    String task,
    String key,
    String kind,
    @Nullable String command,
    @Nullable String className,
    String workdir,
    List<String> inputs,
    List<String> outputs,
    List<String> extras,
    List<String> mkdir,
    List<String> checkOutputs,
    String logDir) {}
