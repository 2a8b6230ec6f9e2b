package org.pipewright.lock;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shared locks over HTTP ({@code docs/shared-log.md}, "Locks"). The caller's principal is the
 * one its token stands for: a worker's grants are its own and go when it is lost.
 */
@RestController
@RequestMapping("/api/locks")
class LockController {

  private final LockManager locks;
  private final LockProperties properties;

  LockController(LockManager locks, LockProperties properties) {
    this.locks = locks;
    this.properties = properties;
  }

  record AcquireBody(
      @Nullable String owner,
      @Nullable String requestId,
      @Nullable Long leaseMs,
      @Nullable Long waitMs) {}

  @PostMapping("/{name}/acquire")
  Grant acquire(@PathVariable String name, @RequestBody AcquireBody body, Authentication auth) {
    LockChecks.name(name); // before the body's fields, as for the other calls
    return locks.acquire(
        name,
        LockChecks.text("owner", body.owner()),
        LockChecks.text("requestId", body.requestId()),
        properties.leaseOrDefault(body.leaseMs()),
        properties.waitOrDefault(body.waitMs()),
        auth.getName());
  }

  record RenewBody(@Nullable Long token, @Nullable Long leaseMs) {}

  @PostMapping("/{name}/renew")
  Grant renew(@PathVariable String name, @RequestBody RenewBody body, Authentication auth) {
    return locks.renew(name, LockChecks.token(body.token()), body.leaseMs(), auth.getName());
  }

  record ReleaseBody(@Nullable Long token, @Nullable String requestId) {}

  record Released(String name, boolean released) {}

  @PostMapping("/{name}/release")
  Released release(@PathVariable String name, @RequestBody ReleaseBody body, Authentication auth) {
    locks.release(name, body.token(), body.requestId(), auth.getName());
    return new Released(name, true);
  }

  @GetMapping
  List<LockView> list() {
    return locks.list();
  }

  @GetMapping("/{name}")
  LockView find(@PathVariable String name) {
    return locks.find(name).orElseThrow(() -> new LockNotFoundException(name));
  }
}
