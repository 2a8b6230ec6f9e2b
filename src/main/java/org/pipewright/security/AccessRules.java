package org.pipewright.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * Who may call what, route by route, in the order they are checked. Every route the application
 * serves must be named here (a test enumerates them); anything else needs the admin role.
 */
final class AccessRules {

  /** Who may pass: anyone, or callers holding one of these roles. */
  record Access(boolean open, List<String> roles) {

    static Access anyone() {
      return new Access(true, List.of());
    }

    static Access roles(String... roles) {
      return new Access(false, List.of(roles));
    }

    static Access atLeast(Role role) {
      return roles(role.name());
    }
  }

  /**
   * @param method the method it is for, or null for all
   * @param patterns path patterns ({@code *} one segment, {@code **} any)
   */
  record Rule(@Nullable HttpMethod method, List<String> patterns, Access access) {}

  private static final String WORKER = WorkerTokenAuthenticationProvider.WORKER_ROLE;

  /**
   * Who may open the lock channel, over its WebSocket or its local socket: not a job's token, which
   * ends with its attempt while a socket outlives the handshake.
   */
  static final Access LOCK_CHANNEL = Access.roles(WORKER, Role.OPERATOR.name());

  private static final String JOB = WorkerTokenAuthenticationProvider.JOB_ROLE;

  static final List<Rule> RULES =
      List.of(
          // Signing in, and what the sign-in page needs to look right.
          new Rule(null, List.of("/signin", "/assets/**", "/favicon.ico"), Access.anyone()),
          new Rule(HttpMethod.POST, List.of("/signout"), Access.atLeast(Role.VIEWER)),
          // The worker protocol, and nothing else, for worker tokens.
          new Rule(
              HttpMethod.POST,
              List.of("/api/workers/register"),
              Access.roles(WorkerTokenAuthenticationProvider.LAUNCH_ROLE)),
          new Rule(
              HttpMethod.POST,
              List.of(
                  "/api/workers/*/lease",
                  "/api/workers/*/heartbeat",
                  "/api/workers/*/complete",
                  "/api/jobs/*/complete"),
              Access.roles(WORKER)),
          // The shared log and locks: Ruffus's logger proxy and mutex, for jobs and operators.
          new Rule(
              HttpMethod.POST,
              List.of("/api/log", "/api/locks/*/*"),
              Access.roles(WORKER, JOB, Role.OPERATOR.name())),
          // The lock channel's handshake. Not for a job's token: it ends with its attempt, and a
          // socket outlives the handshake.
          new Rule(HttpMethod.GET, List.of("/api/lock-channel"), LOCK_CHANNEL),
          // Changing things: pipelines, runs, and the dashboard's forms that do the same.
          new Rule(
              HttpMethod.POST,
              List.of(
                  "/api/pipelines",
                  "/api/runs",
                  "/api/runs/*/cancel",
                  "/pipelines/*/runs",
                  "/runs/*/cancel",
                  "/runs/*/rerun"),
              Access.atLeast(Role.OPERATOR)),
          // The pool's size is the host's (or the cluster account's) to give: admins only.
          new Rule(HttpMethod.PUT, List.of("/api/workers/pool"), Access.atLeast(Role.ADMIN)),
          // A dry run reads only.
          new Rule(HttpMethod.POST, List.of("/api/pipelines/*/plan"), Access.atLeast(Role.VIEWER)),
          // Reading: the API and the dashboard's pages.
          new Rule(
              HttpMethod.GET,
              List.of(
                  "/api/pipelines",
                  "/api/pipelines/*",
                  "/api/pipelines/*/graph.svg",
                  "/api/runs",
                  "/api/runs/*",
                  "/api/runs/*/jobs",
                  "/api/runs/*/logs",
                  "/api/jobs/*",
                  "/api/logs",
                  "/api/logs/stream",
                  "/api/locks",
                  "/api/locks/*",
                  "/api/workers",
                  "/api/workers/pool",
                  "/",
                  "/runs/*",
                  "/jobs/*",
                  "/logs",
                  "/workers",
                  "/pipelines",
                  "/pipelines/*"),
              Access.atLeast(Role.VIEWER)));

  private AccessRules() {}
}
