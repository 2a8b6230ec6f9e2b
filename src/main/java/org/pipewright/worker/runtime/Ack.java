package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's answer to one completion: stored ({@code accepted}), or dropped because the
 * attempt had lost its lease or was cancelled. Either way the worker stops sending it.
 */
record Ack(AttemptId id, boolean accepted, @Nullable String message) {

  static List<Ack> listFromJson(Map<String, Object> json) {
    List<Map<String, Object>> objects = Fields.objects(json, "acks");
    List<Ack> acks = new ArrayList<>(objects.size());
    for (Map<String, Object> ack : objects) {
      acks.add(
          new Ack(
              new AttemptId(Fields.requireLong(ack, "jobId"), Fields.requireInt(ack, "attempt")),
              Fields.optBoolean(ack, "accepted"),
              Fields.optString(ack, "message")));
    }
    return acks;
  }
}
