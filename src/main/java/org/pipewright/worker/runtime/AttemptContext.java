package org.pipewright.worker.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pipewright.sdk.HeldLock;
import org.pipewright.sdk.JobContext;
import org.pipewright.sdk.JobLog;

/** The {@link JobContext} of one Java attempt. Closing it releases locks the job forgot. */
final class AttemptContext implements JobContext {

  private final Attempt attempt;
  private final JobFiles files;
  private final AttemptLog log;
  private final LockService locks;
  private final List<HeldLock> held = new ArrayList<>(1);

  AttemptContext(Attempt attempt, JobFiles files, AttemptLog log, LockService locks) {
    this.attempt = attempt;
    this.files = files;
    this.log = log;
    this.locks = locks;
  }

  @Override
  public List<Path> inputs() {
    return files.inputs;
  }

  @Override
  public List<Path> outputs() {
    return files.outputs;
  }

  @Override
  public List<String> extras() {
    return attempt.spec.extras();
  }

  @Override
  public Path workdir() {
    return files.workdir;
  }

  @Override
  public Path input(int index) {
    if (index < 0 || index >= files.inputs.size()) {
      throw new IndexOutOfBoundsException(
          "input " + index + " of a job with " + files.inputs.size() + " inputs");
    }
    return files.inputs.get(index);
  }

  @Override
  public Path output(int index) {
    if (index < 0 || index >= files.outputs.size()) {
      throw new IndexOutOfBoundsException(
          "output " + index + " of a job with " + files.outputs.size() + " outputs");
    }
    return files.outputs.get(index);
  }

  @Override
  public String pipeline() {
    return attempt.spec.pipeline();
  }

  @Override
  public String task() {
    return attempt.spec.task();
  }

  @Override
  public long runId() {
    return attempt.spec.runId();
  }

  @Override
  public long jobId() {
    return attempt.spec.id().jobId();
  }

  @Override
  public int attempt() {
    return attempt.spec.id().attempt();
  }

  @Override
  public JobLog log() {
    return log;
  }

  @Override
  public HeldLock lock(String name) throws InterruptedException {
    HeldLock lock = locks.acquire(name, attempt, log);
    synchronized (held) {
      held.add(lock);
    }
    return lock;
  }

  @Override
  public boolean cancelled() {
    return attempt.cancelled();
  }

  /** Releases what the job still holds and closes its log. */
  void close() {
    synchronized (held) {
      for (HeldLock lock : held) {
        lock.close();
      }
      held.clear();
    }
    log.close();
  }
}
