package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control plane's answer to a heartbeat: attempts to kill and drop, the lease length now in
 * force (0 when the answer did not say), and whether to stop.
 */
record HeartbeatAnswer(List<AttemptId> cancel, long leaseMs, boolean exit) {

  static HeartbeatAnswer fromJson(Map<String, Object> json) {
    List<Map<String, Object>> objects = Fields.objects(json, "cancel");
    List<AttemptId> cancel = new ArrayList<>(objects.size());
    for (Map<String, Object> id : objects) {
      cancel.add(new AttemptId(Fields.requireLong(id, "jobId"), Fields.requireInt(id, "attempt")));
    }
    return new HeartbeatAnswer(
        cancel, Fields.optLong(json, "leaseMs", 0), Fields.optBoolean(json, "exit"));
  }
}
