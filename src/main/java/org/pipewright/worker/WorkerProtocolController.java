package org.pipewright.worker;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.pipewright.cluster.Membership;
import org.pipewright.lock.LockManager;
import org.pipewright.pipeline.Resources;
import org.pipewright.run.Ack;
import org.pipewright.run.Assignment;
import org.pipewright.run.AttemptOutcome;
import org.pipewright.run.AttemptRef;
import org.pipewright.run.Completion;
import org.pipewright.run.Scheduler;
import org.pipewright.security.WorkerCredentials;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The worker protocol ({@code docs/worker-protocol.md}): register, lease, heartbeat, complete. Only
 * worker tokens open it, and a worker acts only as itself.
 */
@RestController
@RequestMapping("/api")
class WorkerProtocolController {

  private final WorkerRegistry registry;
  private final Scheduler scheduler;
  private final LockManager locks;
  private final WorkerProperties properties;
  private final Membership membership;

  WorkerProtocolController(
      WorkerRegistry registry,
      Scheduler scheduler,
      LockManager locks,
      WorkerProperties properties,
      Membership membership) {
    this.membership = membership;
    this.registry = registry;
    this.scheduler = scheduler;
    this.locks = locks;
    this.properties = properties;
  }

  record RegisterBody(
      @Nullable String host, @Nullable Long pid, @Nullable Integer cpus, @Nullable Long memoryMb) {

    /** What the worker offers; a worker that names neither gets only jobs that ask for nothing. */
    @Nullable Resources offered() {
      if (cpus == null && memoryMb == null) {
        return null;
      }
      if (cpus == null || memoryMb == null || cpus < 1 || memoryMb < 1) {
        throw new ProtocolException(
            "cpus and memoryMb go together, each a positive number; were "
                + cpus
                + ", "
                + memoryMb);
      }
      return new Resources(cpus, memoryMb);
    }
  }

  @PostMapping("/workers/register")
  WorkerRegistry.Registration register(
      @RequestBody(required = false) @Nullable RegisterBody body, Authentication auth) {
    long id = Long.parseLong(auth.getName().substring("launch:".length()));
    if (body == null) {
      return registry.register(id, null, null, null);
    }
    return registry.register(id, body.host(), body.pid(), body.offered());
  }

  record LeaseBody(
      @Nullable Integer max, @Nullable Long waitMs, @Nullable List<CompletionBody> completions) {}

  record LeaseAnswer(List<JobSpecView> jobs, List<Ack> acks, boolean exit) {}

  @PostMapping("/workers/{id}/lease")
  LeaseAnswer lease(
      @PathVariable long id,
      @RequestBody(required = false) @Nullable LeaseBody body,
      Authentication auth) {
    self(id, auth);
    List<CompletionBody> completions = body == null ? null : body.completions();
    if (registry.shouldExit(id)) {
      List<Ack> acks = complete(id, completions);
      registry.exited(id); // it holds nothing now and leaves; whatever it still held is requeued
      return new LeaseAnswer(List.of(), acks, true);
    }
    int max = body == null || body.max() == null ? 1 : Math.min(body.max(), properties.maxBatch());
    long wait = body == null || body.waitMs() == null ? 0 : body.waitMs();
    wait = Math.max(0, Math.min(wait, 30_000));
    Resources offered = registry.offered(id);
    List<Completion> results = parsed(completions);
    List<Ack> acks = List.of();
    List<Assignment> jobs = List.of();
    if (!results.isEmpty()) {
      // The results and the jobs there are at once in one step: see Scheduler#completeAndLease.
      Scheduler.Leased leased =
          scheduler.completeAndLease(
              id, results, Math.max(1, max), offered, () -> registry.shouldExit(id));
      acks = leased.acks();
      releaseJobLocks(id, acks); // before any wait: a waiter for such a lock goes on now
      jobs = leased.jobs();
    }
    if (jobs.isEmpty()) {
      jobs = scheduler.lease(id, max, wait, offered, () -> registry.shouldExit(id));
    }
    if (!jobs.isEmpty() && registry.find(id) == null) {
      // Declared lost while this call waited (its process died, its SLURM job was cancelled): the
      // jobs just handed to it would be held for ever by a worker nobody watches any more.
      scheduler.workerLost(id, "worker " + id + " was lost while it waited for work");
      throw new WorkerLostException(id);
    }
    if (jobs.isEmpty() && registry.shouldExit(id)) {
      registry.exited(id); // told to leave while it waited: it holds nothing
      return new LeaseAnswer(List.of(), acks, true);
    }
    long expires = registryLease(id);
    return new LeaseAnswer(
        jobs.stream().map(job -> new JobSpecView(job, expires)).toList(), acks, false);
  }

  private long registryLease(long id) {
    WorkerRow row = registry.find(id);
    return row == null || row.leaseExpiresAt() == null ? 0 : row.leaseExpiresAt().toEpochMilli();
  }

  record CompleteBody(List<CompletionBody> completions) {}

  record CompleteAnswer(List<Ack> acks) {}

  @PostMapping("/workers/{id}/complete")
  CompleteAnswer completeMany(
      @PathVariable long id, @RequestBody CompleteBody body, Authentication auth) {
    self(id, auth);
    return new CompleteAnswer(complete(id, body.completions()));
  }

  /** One completion, fenced by its attempt token: 409 when the attempt lost its lease. */
  @PostMapping("/jobs/{jobId}/complete")
  ResponseEntity<Ack> completeOne(
      @PathVariable long jobId, @RequestBody CompletionBody body, Authentication auth) {
    long worker = WorkerCredentials.workerId(auth.getName());
    confident();
    if (body.jobId() != jobId) {
      throw new ProtocolException("the body's jobId " + body.jobId() + " is not " + jobId);
    }
    List<Ack> acks = complete(worker, List.of(body));
    if (acks.isEmpty()) {
      throw new TryAgainException("the completion of job " + jobId + " could not be stored");
    }
    Ack ack = acks.getFirst();
    return ResponseEntity.status(ack.accepted() ? 200 : 409).body(ack);
  }

  record AttemptBody(long jobId, int attempt, @Nullable Double startedAt) {}

  record HeartbeatBody(
      @Nullable List<AttemptBody> running,
      @Nullable List<AttemptBody> leased,
      @Nullable List<AttemptBody> reporting) {}

  record CancelRef(long jobId, int attempt) {}

  record HeartbeatAnswer(List<CancelRef> cancel, long leaseMs, boolean exit) {}

  @PostMapping("/workers/{id}/heartbeat")
  HeartbeatAnswer heartbeat(
      @PathVariable long id,
      @RequestBody(required = false) @Nullable HeartbeatBody body,
      Authentication auth) {
    self(id, auth);
    boolean exit = registry.heartbeat(id);
    List<AttemptRef> cancel =
        scheduler.heartbeat(
            id,
            refs(body == null ? null : body.running()),
            refs(body == null ? null : body.leased()),
            refs(body == null ? null : body.reporting()));
    return new HeartbeatAnswer(
        cancel.stream().map(ref -> new CancelRef(ref.jobId(), ref.attempt())).toList(),
        properties.lease().toMillis(),
        exit);
  }

  private static List<AttemptRef> refs(@Nullable List<AttemptBody> bodies) {
    if (bodies == null) {
      return List.of();
    }
    return bodies.stream()
        .map(b -> new AttemptRef(b.jobId(), b.attempt(), instant(b.startedAt())))
        .toList();
  }

  private List<Ack> complete(long worker, @Nullable List<CompletionBody> bodies) {
    if (bodies == null || bodies.isEmpty()) {
      return List.of();
    }
    List<Ack> acks = scheduler.complete(worker, parsed(bodies));
    releaseJobLocks(worker, acks);
    return acks;
  }

  private static List<Completion> parsed(@Nullable List<CompletionBody> bodies) {
    return bodies == null ? List.of() : bodies.stream().map(CompletionBody::completion).toList();
  }

  /** Locks a job took with its own token (a shell job's curl) end with its attempt. */
  private void releaseJobLocks(long worker, List<Ack> acks) {
    for (Ack ack : acks) {
      locks.releaseHeldBy(WorkerCredentials.jobPrincipal(worker, ack.jobId(), ack.attempt()));
    }
  }

  private void self(long id, Authentication auth) {
    if (WorkerCredentials.workerId(auth.getName()) != id) {
      throw ProtocolException.notYours(id);
    }
    confident();
  }

  /**
   * Answers a worker only while this process knows it still owns its runs: one that could not renew
   * its place for a lease period (frozen, or cut off from the database) must not extend a lease or
   * hand out a job that a peer may be about to retry. The worker treats the 503 as a call that
   * failed, and kills its job when its lease runs out.
   */
  private void confident() {
    if (!membership.confident(properties.lease())) {
      throw new TryAgainException(
          "this control plane could not renew its place in the cluster within the lease");
    }
  }

  static @Nullable Instant instant(@Nullable Double epochMillis) {
    if (epochMillis == null) {
      return null;
    }
    long micros = Math.round(epochMillis * 1000);
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
  }

  record CompletionBody(
      long jobId,
      int attempt,
      String token,
      String outcome,
      @Nullable Integer exitCode,
      @Nullable Double startedAt,
      @Nullable Double finishedAt,
      @Nullable String error) {

    Completion completion() {
      AttemptOutcome parsed =
          switch (outcome) {
            case "SUCCEEDED" -> AttemptOutcome.SUCCEEDED;
            case "FAILED" -> AttemptOutcome.FAILED;
            case "CANCELLED" -> AttemptOutcome.CANCELLED;
            default ->
                throw new ProtocolException(
                    "outcome must be SUCCEEDED, FAILED or CANCELLED, was " + outcome);
          };
      return new Completion(
          jobId, attempt, token, parsed, exitCode, instant(startedAt), instant(finishedAt), error);
    }
  }

  /**
   * A job as the worker receives it: the assignment's fields, flattened, and when the worker's
   * lease runs out.
   */
  record JobSpecView(@JsonUnwrapped Assignment job, long leaseExpiresAt) {}
}
