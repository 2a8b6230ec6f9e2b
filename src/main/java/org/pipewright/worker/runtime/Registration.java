package org.pipewright.worker.runtime;

import java.util.Map;

/** The control plane's answer to {@code register}: who this worker is and how often to beat. */
record Registration(long workerId, String sessionToken, long heartbeatMs, long leaseMs) {

  static Registration fromJson(Map<String, Object> json) {
    Registration registration =
        new Registration(
            Fields.requireLong(json, "workerId"),
            Fields.requireString(json, "sessionToken"),
            Fields.requireLong(json, "heartbeatMs"),
            Fields.requireLong(json, "leaseMs"));
    if (registration.heartbeatMs <= 0 || registration.leaseMs <= 0) {
      throw new JsonException("heartbeatMs and leaseMs must be positive");
    }
    return registration;
  }

  @Override
  public String toString() {
    return "worker " + workerId;
  }
}
